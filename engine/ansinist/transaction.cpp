#include "ansinist/transaction.hpp"

#include <algorithm>
#include <cstdio>

namespace tuskprint::ansinist {

namespace {
const std::string kEmpty;
}

Field Field::text(int record_type, int number, std::string value) {
  return items(record_type, number, Subfield{std::move(value)});
}

Field Field::items(int record_type, int number, Subfield items) {
  Field f;
  f.record_type = record_type;
  f.number = number;
  f.subfields.push_back(std::move(items));
  return f;
}

Field Field::bytes(int record_type, int number, std::string payload) {
  Field f;
  f.record_type = record_type;
  f.number = number;
  f.binary = true;
  f.data = std::move(payload);
  return f;
}

const std::string& Field::value() const {
  if (subfields.empty() || subfields.front().empty()) return kEmpty;
  return subfields.front().front();
}

std::string Field::tag() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d.%03d", record_type, number);
  return buf;
}

const Field* Record::find(int number) const {
  for (const auto& f : fields)
    if (f.number == number) return &f;
  return nullptr;
}

Field* Record::find(int number) {
  for (auto& f : fields)
    if (f.number == number) return &f;
  return nullptr;
}

const std::string& Record::value(int number) const {
  const Field* f = find(number);
  return f ? f->value() : kEmpty;
}

int Record::idc() const {
  if (is_opaque()) {
    if (opaque.size() < 5) return -1;
    return static_cast<unsigned char>(opaque[4]);
  }
  long long v = parse_decimal(value(2));
  return v < 0 || v > 255 ? -1 : static_cast<int>(v);
}

void Record::set(Field field) {
  if (Field* existing = find(field.number)) {
    *existing = std::move(field);
    return;
  }
  auto pos = std::find_if(fields.begin(), fields.end(),
                          [&](const Field& f) { return f.number > field.number; });
  fields.insert(pos, std::move(field));
}

const Record* Transaction::first(int type) const {
  for (const auto& r : records)
    if (r.type == type) return &r;
  return nullptr;
}

std::vector<const Record*> Transaction::all(int type) const {
  std::vector<const Record*> out;
  for (const auto& r : records)
    if (r.type == type) out.push_back(&r);
  return out;
}

const Record* Transaction::find(int type, int idc) const {
  for (const auto& r : records)
    if (r.type == type && r.idc() == idc) return &r;
  return nullptr;
}

bool is_binary_record_type(int type) { return type >= 3 && type <= 8; }

long long parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > 12) return -1;
  long long v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace tuskprint::ansinist
