#include "ansinist/dump.hpp"

#include <cstdio>
#include <sstream>

#include "ansinist/field_rules.hpp"

namespace tuskprint::ansinist {
namespace {

// Items shown with control and non-ASCII-printable bytes escaped, so a dump is always text.
std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c != 0x7F) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace

std::string dump(const Transaction& t) {
  std::ostringstream os;
  for (std::size_t i = 0; i < t.records.size(); ++i) {
    const Record& r = t.records[i];
    os << "Record " << i + 1 << ": Type-" << r.type;
    if (r.type != 1) os << " IDC " << r.idc();
    if (r.is_opaque()) {
      os << " (binary record, <" << r.opaque.size() << " bytes>)\n";
      continue;
    }
    os << "\n";
    for (const Field& f : r.fields) {
      const std::string mnemonic = field_mnemonic(f.record_type, f.number);
      os << "  " << f.tag() << (mnemonic.empty() ? "" : " " + mnemonic) << ": ";
      if (f.binary) {
        os << "<" << f.data.size() << " bytes>\n";
        continue;
      }
      for (std::size_t s = 0; s < f.subfields.size(); ++s) {
        if (s) os << " | ";
        for (std::size_t k = 0; k < f.subfields[s].size(); ++k)
          os << (k ? " / " : "") << printable(f.subfields[s][k]);
      }
      os << "\n";
    }
  }
  return os.str();
}

}  // namespace tuskprint::ansinist
