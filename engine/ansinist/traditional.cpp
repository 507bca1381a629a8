#include "ansinist/traditional.hpp"

#include <algorithm>
#include <cstdio>

#include "core/error.hpp"

namespace tuskprint::ansinist {
namespace {

bool is_separator(char c) { return c == kFS || c == kGS || c == kRS || c == kUS; }

std::string two_digit(int v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

// The IDC exactly as the record carries it (keeps "1" vs "01"), two digits otherwise.
std::string idc_text(const Record& r) {
  if (!r.is_opaque() && r.find(2)) return r.value(2);
  return two_digit(std::max(r.idc(), 0));
}

Field computed_cnt(const Transaction& t) {
  Field cnt;
  cnt.record_type = 1;
  cnt.number = 3;
  cnt.subfields.push_back({"1", std::to_string(t.records.size() - 1)});
  for (std::size_t i = 1; i < t.records.size(); ++i)
    cnt.subfields.push_back({std::to_string(t.records[i].type), idc_text(t.records[i])});
  return cnt;
}

// INT-I defines items C and D of 1.017 ANM (country codes) for the XML encoding only.
constexpr std::size_t kTraditionalAnmItems = 2;

std::size_t items_to_write(const Field& f, int record_type, const Subfield& sub) {
  const bool anm = (f.record_type ? f.record_type : record_type) == 1 && f.number == 17;
  return anm ? std::min(sub.size(), kTraditionalAnmItems) : sub.size();
}

void append_field_body(std::string& out, const Field& f, int record_type) {
  TP_CHECK(!f.binary || f.number == 999, kInvalidArgument,
           "field " << f.tag() << ": only x.999 may hold binary data");
  out += std::to_string(f.record_type ? f.record_type : record_type);
  char num[16];
  std::snprintf(num, sizeof num, ".%03d:", f.number);
  out += num;
  if (f.binary) {
    out += f.data;
    return;
  }
  for (std::size_t s = 0; s < f.subfields.size(); ++s) {
    if (s) out += kRS;
    const Subfield& sub = f.subfields[s];
    const std::size_t n = items_to_write(f, record_type, sub);
    for (std::size_t i = 0; i < n; ++i) {
      if (i) out += kUS;
      TP_CHECK(std::none_of(sub[i].begin(), sub[i].end(), is_separator), kInvalidArgument,
               "field " << f.tag() << ": item " << i + 1 << " of subfield " << s + 1
                        << " contains a separator character (0x1C-0x1F)");
      out += sub[i];
    }
  }
}

std::string encode_tagged_record(const Record& r, const Field* cnt_override) {
  std::vector<const Field*> ordered;
  for (const auto& f : r.fields) {
    if (f.number == 1) continue;  // LEN is computed below
    if (cnt_override && f.number == 3) continue;
    ordered.push_back(&f);
  }
  if (cnt_override) ordered.push_back(cnt_override);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Field* a, const Field* b) { return a->number < b->number; });
  std::string body;
  for (const Field* f : ordered) {
    body += kGS;
    append_field_body(body, *f, r.type);
  }
  body += kFS;
  const std::string head = std::to_string(r.type) + ".001:";
  // LEN counts its own digits: iterate until the digit count is stable.
  std::size_t len = head.size() + body.size() + 1;
  for (int i = 0; i < 4; ++i) len = head.size() + std::to_string(len).size() + body.size();
  std::string out = head + std::to_string(len) + body;
  TP_ASSERT(out.size() == len);
  return out;
}

[[noreturn]] void corrupt(std::size_t record_index, std::size_t offset, const std::string& what) {
  TP_THROW(kDataLoss, "ANSI/NIST record " << record_index + 1 << " at byte " << offset << ": "
                                          << what);
}

// Reads "T.F:" at `pos`; returns false when the bytes there are not a tag.
bool parse_tag(std::string_view d, std::size_t& pos, std::size_t end, int& type, int& number) {
  auto digits = [&](int& v, std::size_t max_len) {
    std::size_t start = pos;
    v = 0;
    while (pos < end && pos - start < max_len && d[pos] >= '0' && d[pos] <= '9')
      v = v * 10 + (d[pos++] - '0');
    return pos > start;
  };
  if (!digits(type, 3) || pos >= end || d[pos] != '.') return false;
  ++pos;
  if (!digits(number, 3) || pos >= end || d[pos] != ':') return false;
  ++pos;
  return true;
}

std::vector<Subfield> split_text(std::string_view text) {
  std::vector<Subfield> subs;
  std::size_t start = 0;
  while (true) {
    std::size_t rs = text.find(kRS, start);
    std::string_view sub = text.substr(start, rs == std::string_view::npos ? rs : rs - start);
    Subfield items;
    std::size_t s = 0;
    while (true) {
      std::size_t us = sub.find(kUS, s);
      items.emplace_back(sub.substr(s, us == std::string_view::npos ? us : us - s));
      if (us == std::string_view::npos) break;
      s = us + 1;
    }
    subs.push_back(std::move(items));
    if (rs == std::string_view::npos) break;
    start = rs + 1;
  }
  return subs;
}

// Parses one tagged record starting at `pos`; returns its length in bytes.
std::size_t read_tagged_record(std::string_view d, std::size_t pos, std::size_t index,
                               Record& rec) {
  const std::size_t remaining = d.size() - pos;
  std::size_t p = pos;
  int type = 0, number = 0;
  if (!parse_tag(d, p, d.size(), type, number) || number != 1)
    corrupt(index, pos, "does not start with a x.001 LEN tag");
  std::size_t q = p;
  while (q < d.size() && q - p < 12 && d[q] >= '0' && d[q] <= '9') ++q;
  long long len = parse_decimal(d.substr(p, q - p));
  if (len < 0 || q >= d.size() || (d[q] != kGS && d[q] != kFS))
    corrupt(index, pos, "Type-" + std::to_string(type) + " LEN field is not a number");
  if (static_cast<unsigned long long>(len) > remaining)
    corrupt(index, pos,
            "Type-" + std::to_string(type) + " LEN " + std::to_string(len) + " exceeds the " +
                std::to_string(remaining) + " bytes left (truncated file?)");
  if (static_cast<std::size_t>(len) < q - pos + 1)
    corrupt(index, pos, "Type-" + std::to_string(type) + " LEN " + std::to_string(len) +
                            " is shorter than its own field");
  const std::size_t end = pos + static_cast<std::size_t>(len) - 1;  // index of closing FS
  if (d[end] != kFS)
    corrupt(index, pos, "Type-" + std::to_string(type) + " record of LEN " +
                            std::to_string(len) + " does not end with FS (0x1C)");
  rec.type = type;
  std::size_t f = pos;
  while (f < end) {
    const std::size_t tag_at = f;
    int ftype = 0, fnum = 0;
    if (!parse_tag(d, f, end, ftype, fnum))
      corrupt(index, tag_at, "malformed field tag in Type-" + std::to_string(type) + " record");
    Field field;
    field.record_type = ftype;
    field.number = fnum;
    if (fnum == 999) {
      field.binary = true;
      field.data.assign(d.substr(f, end - f));
      f = end;
    } else {
      std::size_t stop = f;
      while (stop < end && d[stop] != kGS && d[stop] != kFS) ++stop;
      if (stop < end && d[stop] == kFS)
        corrupt(index, stop, "FS inside field " + field.tag() + " before the record's LEN");
      field.subfields = split_text(d.substr(f, stop - f));
      f = stop < end ? stop + 1 : end;
    }
    rec.fields.push_back(std::move(field));
  }
  return static_cast<std::size_t>(len);
}

std::size_t read_binary_record(std::string_view d, std::size_t pos, std::size_t index, int type,
                               Record& rec) {
  const std::size_t remaining = d.size() - pos;
  if (remaining < 4) corrupt(index, pos, "binary Type-" + std::to_string(type) + " record truncated");
  std::uint32_t len = 0;
  for (int i = 0; i < 4; ++i) len = (len << 8) | static_cast<unsigned char>(d[pos + i]);
  if (len < 5) corrupt(index, pos, "binary Type-" + std::to_string(type) + " record length " +
                                       std::to_string(len) + " is too small");
  if (len > remaining)
    corrupt(index, pos, "binary Type-" + std::to_string(type) + " length " + std::to_string(len) +
                            " exceeds the " + std::to_string(remaining) +
                            " bytes left (truncated file?)");
  rec.type = type;
  rec.opaque.assign(d.substr(pos, len));
  return len;
}

}  // namespace

std::vector<ContentEntry> content_list(const Transaction& t) {
  std::vector<ContentEntry> out;
  const Record* r1 = t.first(1);
  if (!r1) return out;
  const Field* cnt = r1->find(3);
  TP_CHECK(cnt && !cnt->subfields.empty(), kDataLoss, "field 1.003 CNT is missing");
  const Subfield& head = cnt->subfields.front();
  TP_CHECK(head.size() >= 2 && parse_decimal(head[1]) >= 0, kDataLoss,
           "field 1.003 CNT: first subfield must be 1<US>count");
  const long long declared = parse_decimal(head[1]);
  TP_CHECK(declared == static_cast<long long>(cnt->subfields.size()) - 1, kDataLoss,
           "field 1.003 CNT declares " << declared << " records but lists "
                                       << cnt->subfields.size() - 1);
  for (std::size_t i = 1; i < cnt->subfields.size(); ++i) {
    const Subfield& s = cnt->subfields[i];
    TP_CHECK(s.size() >= 2, kDataLoss, "field 1.003 CNT: subfield " << i + 1 << " is not type<US>IDC");
    long long type = parse_decimal(s[0]), idc = parse_decimal(s[1]);
    TP_CHECK(type >= 2 && type <= 99 && idc >= 0 && idc <= 255, kDataLoss,
             "field 1.003 CNT: subfield " << i + 1 << " has record type '" << s[0] << "' and IDC '"
                                          << s[1] << "'");
    out.push_back({static_cast<int>(type), static_cast<int>(idc)});
  }
  return out;
}

std::string write_traditional(const Transaction& t) {
  TP_CHECK(!t.records.empty() && t.records.front().type == 1, kInvalidArgument,
           "transaction must start with a Type-1 record");
  for (std::size_t i = 1; i < t.records.size(); ++i) {
    const Record& r = t.records[i];
    TP_CHECK(r.type != 1, kInvalidArgument, "record " << i + 1 << ": only the first record may be Type-1");
    TP_CHECK(!is_binary_record_type(r.type) || r.is_opaque(), kInvalidArgument,
             "record " << i + 1 << ": Type-" << r.type << " is a binary record and must be opaque");
    TP_CHECK(r.idc() >= 0, kInvalidArgument,
             "record " << i + 1 << " (Type-" << r.type << "): field " << r.type
                       << ".002 IDC is missing or not a number");
  }
  const Field cnt = computed_cnt(t);
  std::string out = encode_tagged_record(t.records.front(), &cnt);
  for (std::size_t i = 1; i < t.records.size(); ++i) {
    const Record& r = t.records[i];
    out += r.is_opaque() ? r.opaque : encode_tagged_record(r, nullptr);
  }
  return out;
}

Transaction read_traditional(std::string_view bytes) {
  TP_CHECK(!bytes.empty(), kInvalidArgument, "empty input: not an ANSI/NIST-ITL file");
  Transaction t;
  Record first;
  std::size_t pos = read_tagged_record(bytes, 0, 0, first);
  TP_CHECK(first.type == 1, kDataLoss,
           "ANSI/NIST file must start with a Type-1 record, found Type-" << first.type);
  t.records.push_back(std::move(first));
  const std::vector<ContentEntry> expected = content_list(t);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    TP_CHECK(pos < bytes.size(), kDataLoss,
             "file ends after " << i + 1 << " records but 1.003 CNT lists " << expected.size() + 1
                                << " (truncated file?)");
    Record rec;
    const int type = expected[i].type;
    pos += is_binary_record_type(type) ? read_binary_record(bytes, pos, i + 1, type, rec)
                                       : read_tagged_record(bytes, pos, i + 1, rec);
    TP_CHECK(rec.type == type, kDataLoss,
             "record " << i + 2 << ": 1.003 CNT says Type-" << type << " but the file holds Type-"
                       << rec.type);
    t.records.push_back(std::move(rec));
  }
  TP_CHECK(pos == bytes.size(), kDataLoss,
           bytes.size() - pos << " bytes follow the last record listed in 1.003 CNT");
  return t;
}

}  // namespace tuskprint::ansinist
