#include "ansinist/field_rules.hpp"

#include <cctype>
#include <cstring>
#include <map>

#include "ansinist/tcn.hpp"
#include "core/error.hpp"

namespace tuskprint::ansinist {
namespace {

using R = std::vector<std::pair<long, long>>;
using V = std::vector<std::string>;
constexpr CharType N = CharType::kN, NS = CharType::kNS, A = CharType::kA, AN = CharType::kAN,
                   AS = CharType::kAS, ANS = CharType::kANS, U = CharType::kU, B = CharType::kB;

std::vector<FieldRule> build_rules() {
  const R idc{{0, 99}};
  return {
      // Type-1 transaction information record.
      {1, 2, "VER", 'M', 1, 1, {{"VER", true, N, 4, 4, {}, {"0502"}}},
       "INTERPOL's table lists {0600}; the XML form of the same field is major 05 / minor 02 "
       "(ANSI/NIST-ITL 1-2011 Update 2015), which is what 0502 encodes"},
      {1, 3, "CNT", 'M', 1, 1000,
       {{"FRC/REC", true, N, 1, 2, {{1, 99}}, {}}, {"CRC/IDC", true, N, 1, 3, {{0, 999}}, {}}},
       "one rule for both kinds of subfield: 1<US>count first, then type<US>IDC"},
      {1, 4, "TOT", 'M', 1, 1, {{"TOT", true, AS, 3, 3, {}, {"ATP", "CPS", "NPS", "MPS", "SRE", "ERR"}}}},
      {1, 5, "DAT", 'M', 1, 1, {{"DAT", true, N, 8, 8, {}, {}}}},
      {1, 7, "DAI", 'O', 0, 1, {{"DAI", true, ANS, 1, 0, {}, {}}}},
      {1, 8, "ORI", 'O', 0, 1, {{"ORI", true, ANS, 1, 0, {}, {}}}},
      {1, 9, "TCN", 'M', 1, 1, {{"TCN", true, AN, 15, 15, {}, {}}}},
      {1, 11, "NSR", 'M', 1, 1, {{"NSR", true, NS, 5, 5, {}, {}, "."}}},
      {1, 12, "NTR", 'M', 1, 1, {{"NTR", true, NS, 5, 5, {}, {}, "."}}},
      {1, 13, "DOM", 'M', 1, 1, {{"DNM", true, ANS, 1, 0, {}, {}}, {"DVN", true, ANS, 1, 0, {}, {}}}},
      {1, 14, "GMT", 'O', 0, 1, {{"GMT", true, AN, 15, 15, {}, {}}}},
      {1, 17, "ANM", 'M', 0, 1,
       {{"DAN", true, ANS, 1, 0, {}, {}},
        {"OAN", true, ANS, 1, 0, {}, {}},
        {"DAC", false, A, 3, 3, {}, {}},
        {"OAC", false, A, 3, 3, {}, {}}},
       "items C and D (country codes) exist only in the XML encoding; the traditional writer "
       "drops them"},
      // Type-2 user-defined descriptive text (INT-I).
      {2, 2, "IDC", 'M', 1, 1, {{"IDC", true, N, 1, 2, idc, {}}}},
      {2, 7, "CNO", 'D', 0, 1, {{"CN1", true, A, 3, 3, {}, {}}, {"CN2", true, ANS, 1, 32, {}, {}, "/,-"}}},
      {2, 8, "SQN", 'D', 0, 1, {{"SQN", true, AN, 1, 32, {}, {}}}},
      {2, 9, "MID", 'D', 0, 1, {{"MID", true, AN, 1, 32, {}, {}}}},
      // Type-9 minutiae with the Extended Feature Set block.
      {9, 2, "IDC", 'M', 1, 1, {{"IDC", true, N, 1, 2, idc, {}}}},
      {9, 3, "IMP", 'M', 1, 1, {{"IMP", true, N, 1, 2, {{4, 4}}, {}}},
       "INTERPOL's table refers to the IMP code table; TuskPrint emits 4 (latent) only"},
      {9, 4, "FMT", 'M', 1, 1, {{"FMT", true, A, 1, 1, {}, {"S", "U"}}}},
      {9, 300, "ROI", 'D', 0, 1,
       {{"EWI", true, N, 1, 5, {{1, 50000}}, {}}, {"EHI", true, N, 1, 5, {{1, 50000}}, {}}}},
      {9, 302, "FPP", 'D', 0, 20, {{"FGP", true, N, 1, 2, {{0, 10}, {20, 28}}, {}}},
       "INTERPOL's table leaves the FGP range to the FGP code table; TuskPrint uses the "
       "13.013 finger/unknown range"},
      {9, 331, "MIN", 'D', 0, 999,
       {{"MXC", true, N, 1, 5, {}, {}},
        {"MYC", true, N, 1, 5, {}, {}},
        {"MTD", true, N, 1, 3, {{0, 359}}, {}},
        {"MTY", true, A, 1, 1, {}, {"E", "B", "X"}}},
       "INTERPOL's table gives MTD {1..180}; EFS theta is 0-359 degrees (ANSI/NIST-ITL 1-2011 "
       "8.9.7.30) and INTERPOL's own sample files carry values above 180"},
      // Type-13 latent image.
      {13, 2, "IDC", 'M', 1, 1, {{"IDC", true, N, 1, 2, idc, {}}}},
      {13, 3, "IMP", 'M', 1, 1, {{"IMP", true, N, 1, 2, {{4, 4}}, {}}}},
      {13, 4, "SRC", 'M', 1, 1, {{"SRC", true, U, 1, 0, {}, {}}}},
      {13, 5, "LCD", 'M', 1, 1, {{"LCD", true, N, 8, 8, {}, {}}}},
      {13, 6, "HLL", 'M', 1, 1, {{"HLL", true, N, 2, 5, {{10, 99999}}, {}}}},
      {13, 7, "VLL", 'M', 1, 1, {{"VLL", true, N, 2, 5, {{10, 99999}}, {}}}},
      {13, 8, "SLC", 'M', 1, 1, {{"SLC", true, N, 1, 1, {{1, 2}}, {}}}},
      {13, 9, "THPS", 'M', 1, 1, {{"THPS", true, N, 1, 5, {}, {}}}},
      {13, 10, "TVPS", 'M', 1, 1, {{"TVPS", true, N, 1, 5, {}, {}}}},
      {13, 11, "CGA", 'M', 1, 1,
       {{"CGA", true, AN, 3, 5, {}, {"NONE", "PNG", "JP2L", "JP2", "JPEGB", "JPEGL", "WSQ20"}}}},
      {13, 12, "BPX", 'M', 1, 1, {{"BPX", true, N, 1, 2, {{8, 8}}, {}}}},
      {13, 13, "FGP", 'M', 1, 6, {{"FGP", true, N, 1, 2, {{0, 10}, {20, 28}}, {}}}},
      {13, 999, "DATA", 'M', 1, 1, {{"DATA", true, B, 1, 0, {}, {}}}},
      // Type-20 source representation (optional photo of the ivory piece).
      {20, 2, "IDC", 'M', 1, 1, {{"IDC", true, N, 1, 2, idc, {}}}},
      {20, 3, "CAR", 'M', 1, 1, {{"CAR", true, A, 1, 1, {}, {"D"}}}},
      {20, 4, "SRC", 'M', 1, 1, {{"SRC", true, U, 1, 0, {}, {}}}},
      {20, 14, "AQS", 'M', 1, 9, {{"AQT", true, N, 1, 2, {{0, 6}}, {}}}},
      {20, 15, "SFT", 'M', 1, 1, {{"FTY", true, U, 3, 6, {}, {}}}},
      {20, 21, "SRN", 'M', 1, 1, {{"SRN", true, N, 1, 3, {{1, 1}}, {}}}},
      {20, 999, "DATA", 'D', 0, 1, {{"DATA", true, B, 1, 0, {}, {}}}},
  };
}

bool char_allowed(unsigned char c, CharType type, const char* special) {
  auto is_special = [&] {
    if (c < 0x20 || c > 0x7E || std::isalnum(c)) return false;
    return special[0] == '\0' || std::strchr(special, c) != nullptr;
  };
  switch (type) {
    case CharType::kN: return std::isdigit(c) != 0;
    case CharType::kNS: return std::isdigit(c) || is_special();
    case CharType::kA: return std::isalpha(c) != 0;
    case CharType::kAN: return std::isalnum(c) != 0;
    case CharType::kAS: return std::isalpha(c) || is_special();
    case CharType::kANS: return std::isalnum(c) || c == ' ' || is_special();
    case CharType::kU: return c >= 0x20 && c != 0x7F;
    case CharType::kB: return true;
  }
  return false;
}

const char* type_name(CharType t) {
  switch (t) {
    case CharType::kN: return "numeric";
    case CharType::kNS: return "numeric/special";
    case CharType::kA: return "alphabetic";
    case CharType::kAN: return "alphanumeric";
    case CharType::kAS: return "alphabetic/special";
    case CharType::kANS: return "alphanumeric/special";
    case CharType::kU: return "UTF-8 text";
    case CharType::kB: return "binary";
  }
  return "?";
}

std::size_t utf8_length(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

void check_item(const FieldRule& rule, const ItemRule& item, const std::string& value,
                const std::string& where) {
  const std::string name = where + (rule.items.size() > 1 ? std::string(" item ") + item.mnemonic : "");
  const std::size_t len = item.type == CharType::kU ? utf8_length(value) : value.size();
  TP_CHECK(len >= static_cast<std::size_t>(item.min_length), kInvalidArgument,
           name << ": length " << len << " is below minimum " << item.min_length);
  TP_CHECK(item.max_length == 0 || len <= static_cast<std::size_t>(item.max_length), kInvalidArgument,
           name << ": length " << len << " exceeds maximum " << item.max_length);
  for (unsigned char c : value)
    TP_CHECK(char_allowed(c, item.type, item.special), kInvalidArgument,
             name << ": character '" << (c >= 0x20 && c < 0x7F ? static_cast<char>(c) : '?')
                  << "' (0x" << std::hex << static_cast<int>(c) << std::dec << ") is not "
                  << type_name(item.type)
                  << (item.special[0] ? std::string(" (special: ") + item.special + ")" : ""));
  if (!item.values.empty()) {
    bool ok = false;
    for (const auto& v : item.values) ok = ok || v == value;
    std::string list;
    for (const auto& v : item.values) list += (list.empty() ? "" : ", ") + v;
    TP_CHECK(ok, kInvalidArgument, name << ": value '" << value << "' is not one of {" << list << "}");
  }
  if (!item.ranges.empty()) {
    const long long v = parse_decimal(value);
    bool ok = false;
    for (const auto& [lo, hi] : item.ranges) ok = ok || (v >= lo && v <= hi);
    std::ostringstream list;
    for (std::size_t i = 0; i < item.ranges.size(); ++i)
      list << (i ? "," : "") << item.ranges[i].first << ".." << item.ranges[i].second;
    TP_CHECK(ok, kInvalidArgument, name << ": value " << value << " is outside {" << list.str() << "}");
  }
}

void check_field(const FieldRule& rule, const Field& f) {
  const std::string where = "field " + f.tag() + " " + rule.mnemonic;
  const ItemRule& first = rule.items.front();
  if (first.type == CharType::kB) {
    TP_CHECK(f.binary && !f.data.empty(), kInvalidArgument, where << ": binary data is missing");
    return;
  }
  TP_CHECK(!f.binary, kInvalidArgument, where << ": must be text, not binary");
  const int occurrences = static_cast<int>(f.subfields.size());
  TP_CHECK(occurrences >= std::max(rule.min_occurrences, 1), kInvalidArgument, where << ": is empty");
  TP_CHECK(occurrences <= rule.max_occurrences, kInvalidArgument,
           where << ": " << occurrences << " occurrences exceed maximum " << rule.max_occurrences);
  for (std::size_t s = 0; s < f.subfields.size(); ++s) {
    const Subfield& sub = f.subfields[s];
    const std::string at = occurrences > 1 ? where + " subfield " + std::to_string(s + 1) : where;
    TP_CHECK(sub.size() <= rule.items.size(), kInvalidArgument,
             at << ": " << sub.size() << " items exceed maximum " << rule.items.size());
    for (std::size_t i = 0; i < rule.items.size(); ++i) {
      if (i >= sub.size()) {
        TP_CHECK(!rule.items[i].mandatory, kInvalidArgument,
                 at << ": mandatory item " << rule.items[i].mnemonic << " is missing");
        continue;
      }
      check_item(rule, rule.items[i], sub[i], at);
    }
  }
}

}  // namespace

const std::vector<FieldRule>& mps_field_rules() {
  static const std::vector<FieldRule> rules = build_rules();
  return rules;
}

const FieldRule* find_field_rule(int record_type, int number) {
  for (const auto& r : mps_field_rules())
    if (r.record_type == record_type && r.number == number) return &r;
  return nullptr;
}

std::string field_mnemonic(int record_type, int number) {
  if (number == 1) return "LEN";
  if (number == 2 && record_type != 1) return "IDC";
  if (const FieldRule* r = find_field_rule(record_type, number)) return r->mnemonic;
  static const std::map<std::pair<int, int>, const char*> base = {
      {{1, 6}, "PRY"}, {{1, 10}, "TCR"}, {{1, 15}, "DCS"}, {{1, 16}, "APS"},
      {{2, 64}, "RLS"}, {{2, 74}, "ERM"}, {{9, 301}, "ORT"}, {{9, 303}, "FSP"},
      {{9, 307}, "PAT"}, {{9, 320}, "COR"}, {{9, 321}, "DEL"}, {{9, 126}, "CBI"},
      {{9, 137}, "FMD"}, {{13, 14}, "SPD"}, {{13, 15}, "PPC"}, {{13, 16}, "SHPS"},
      {{13, 17}, "SVPS"}, {{13, 20}, "COM"}, {{13, 24}, "LQM"}, {{14, 999}, "DATA"},
      {{10, 999}, "DATA"}, {{15, 999}, "DATA"}};
  auto it = base.find({record_type, number});
  return it == base.end() ? "" : it->second;
}

void validate_int_i(const Transaction& t) {
  for (const Record& rec : t.records) {
    if (rec.is_opaque()) continue;
    for (const Field& f : rec.fields)
      if (const FieldRule* rule = find_field_rule(rec.type, f.number)) check_field(*rule, f);
    for (const FieldRule& rule : mps_field_rules()) {
      if (rule.record_type != rec.type || rule.condition == 'O') continue;
      if (rec.type == 1 && rule.number == 3) continue;  // CNT is computed by the writers
      TP_CHECK(rec.find(rule.number) != nullptr, kInvalidArgument,
               "field " << rec.type << "." << (rule.number < 10 ? "00" : rule.number < 100 ? "0" : "")
                        << rule.number << " " << rule.mnemonic << ": mandatory field is missing");
    }
  }
  // A Type-9 derived from a Type-13 image carries the same IDC as the image.
  if (!t.all(13).empty()) {
    for (const Record* r9 : t.all(9))
      TP_CHECK(t.find(13, r9->idc()) != nullptr, kInvalidArgument,
               "field 9.002 IDC: " << r9->value(2) << " matches no Type-13 image (a Type-9 carries its image's IDC)");
  }
  if (const Record* r1 = t.first(1)) {
    const std::string& tcn = r1->value(9);
    TP_CHECK(tcn_is_valid(tcn), kInvalidArgument,
             "field 1.009 TCN: '" << tcn << "' is not YY + 12-digit serial + check character");
    const std::string& gmt = r1->value(14);
    bool gmt_ok = gmt.size() == 15 && gmt[14] == 'Z';
    for (std::size_t i = 0; gmt_ok && i < 14; ++i) gmt_ok = std::isdigit(static_cast<unsigned char>(gmt[i]));
    TP_CHECK(gmt.empty() || gmt_ok, kInvalidArgument, "field 1.014 GMT: '" << gmt << "' is not YYYYMMDDhhmmssZ");
    for (int n : {11, 12}) {
      const std::string& v = r1->value(n);
      TP_CHECK(v.empty() || (v.size() == 5 && v[2] == '.'), kInvalidArgument,
               "field 1.0" << n << " " << (n == 11 ? "NSR" : "NTR") << ": '" << v << "' is not dd.dd");
    }
  }
}

}  // namespace tuskprint::ansinist
