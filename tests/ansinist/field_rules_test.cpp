// Cross-checks TuskPrint's encoded INT-I field rules against INTERPOL's machine-readable
// field table (MRT_INT-I_FieldDefinition.csv) and code tables (MRT_INT-I_LookupCodes.csv).
// Entries with a documented `deviation` are exempt from the value comparison only.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "ansinist/field_rules.hpp"
#include "test_support.hpp"

namespace tuskprint::ansinist {
namespace {

using Row = std::map<std::string, std::string>;

// RFC 4180 CSV (quoted fields may hold commas, quotes and newlines).
std::vector<Row> read_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false;
  std::size_t i = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') cell += '"', ++i;
      else if (c == '"') quoted = false;
      else cell += c;
    } else if (c == '"') quoted = true;
    else if (c == ',') rows.back().push_back(std::move(cell)), cell.clear();
    else if (c == '\n') {
      rows.back().push_back(std::move(cell));
      cell.clear();
      rows.emplace_back();
    } else if (c != '\r') cell += c;
  }
  if (!cell.empty() || !rows.back().empty()) rows.back().push_back(cell);
  std::vector<Row> out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].size() < 2) continue;
    Row row;
    for (std::size_t k = 0; k < rows[0].size() && k < rows[r].size(); ++k) row[rows[0][k]] = rows[r][k];
    out.push_back(std::move(row));
  }
  return out;
}

std::string field_id(int type, int number, char item = 0) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d.%03d", type, number);
  std::string id = buf;
  if (item) id += std::string("-") + item;
  return id;
}

// The traditional row for `id` ("[01.009]" or "[01.009:T]"), else the XML one.
const Row* find_row(const std::vector<Row>& rows, const std::string& id) {
  const Row* xml_only = nullptr;
  for (const Row& r : rows) {
    const std::string& fid = r.at("FieldID");
    if (fid != "[" + id + "]" && fid != "[" + id + ":T]" && fid != "[" + id + ":X]") continue;
    std::string kind = r.at("TradXML");
    for (char& c : kind) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (kind.find('T') != std::string::npos) return &r;
    xml_only = &r;
  }
  return xml_only;
}

const char* type_code(CharType t) {
  switch (t) {
    case CharType::kN: return "N";
    case CharType::kNS: return "NS";
    case CharType::kA: return "A";
    case CharType::kAN: return "AN";
    case CharType::kAS: return "AS";
    case CharType::kANS: return "ANS";
    case CharType::kU: return "U";
    case CharType::kB: return "B";
  }
  return "?";
}

// "{0..10,20..28}" -> numeric ranges; quoted entries -> values. False when not parseable.
bool parse_range(std::string s, std::set<std::pair<long, long>>& ranges, std::set<std::string>& values) {
  if (s.size() < 2 || s.front() != '{' || s.back() != '}') return false;
  s = s.substr(1, s.size() - 2);
  std::stringstream ss(s);
  std::string part;
  while (std::getline(ss, part, ',')) {
    std::string clean;
    for (char c : part)
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') clean += c;
    const auto dots = clean.find("..");
    const bool quoted = part.find('"') != std::string::npos || part.find("\xE2\x80") != std::string::npos;
    if (quoted) values.insert(clean);
    else if (dots != std::string::npos) ranges.insert({std::stol(clean.substr(0, dots)), std::stol(clean.substr(dots + 2))});
    else if (!clean.empty() && std::all_of(clean.begin(), clean.end(), ::isdigit)) ranges.insert({std::stol(clean), std::stol(clean)});
    else return false;
  }
  return true;
}

int length_of(const std::string& s) { return s == "*" || s.empty() ? 0 : std::stoi(s); }

TEST(FieldRules, MatchInterpolFieldTable) {
  TP_REQUIRE_SHARED("interpol/MRT/MRT_INT-I_FieldDefinition.csv");
  const auto rows = read_csv(test::slurp(shared / "interpol/MRT/MRT_INT-I_FieldDefinition.csv"));
  const auto codes = read_csv(test::slurp(shared / "interpol/MRT/MRT_INT-I_LookupCodes.csv"));
  ASSERT_GT(rows.size(), 1000u);
  int compared_items = 0, deviations = 0;
  for (const FieldRule& rule : mps_field_rules()) {
    const std::string id = field_id(rule.record_type, rule.number);
    SCOPED_TRACE(id + " " + rule.mnemonic);
    const bool deviates = rule.deviation[0] != '\0';
    deviations += deviates;
    const Row* field = find_row(rows, id);
    if (!field) field = find_row(rows, id + "-A_" + id + "-B");  // 2.007 CNO
    ASSERT_NE(field, nullptr) << "no row for " << id;
    EXPECT_EQ(field->at("Mnemonic"), rule.mnemonic);
    EXPECT_EQ(field->at("CondCode").substr(0, 1), std::string(1, rule.condition));
    EXPECT_EQ(std::stoi(field->at("MaxOccur")), rule.max_occurrences);
    if (rule.record_type == 1 && rule.number == 3) continue;  // CNT: one rule for two subfield kinds
    for (std::size_t i = 0; i < rule.items.size(); ++i) {
      const ItemRule& item = rule.items[i];
      const Row* row = rule.items.size() == 1 ? field : find_row(rows, field_id(rule.record_type, rule.number, 'A' + i));
      if (rule.items.size() == 1 && (!row || row->at("DataType").empty()))
        row = find_row(rows, field_id(rule.record_type, rule.number, 'A'));
      ASSERT_NE(row, nullptr) << "no row for item " << item.mnemonic;
      SCOPED_TRACE(row->at("FieldID"));
      EXPECT_EQ(row->at("Mnemonic"), item.mnemonic);
      EXPECT_EQ(row->at("DataType"), type_code(item.type));
      if (item.type != CharType::kB) {
        EXPECT_EQ(length_of(row->at("MinLength")), item.min_length);
        EXPECT_EQ(length_of(row->at("MaxLength")), item.max_length);
      }
      if (!deviates && rule.items.size() > 1) {
        EXPECT_EQ(row->at("CondCode") == "M^", item.mandatory);
      }
      ++compared_items;
      if (deviates) continue;
      std::set<std::pair<long, long>> ranges;
      std::set<std::string> values;
      if (parse_range(row->at("ValueRange"), ranges, values)) {
        const std::set<std::pair<long, long>> mine(item.ranges.begin(), item.ranges.end());
        EXPECT_EQ(ranges, mine);
        EXPECT_EQ(values, std::set<std::string>(item.values.begin(), item.values.end()));
      } else {
        EXPECT_TRUE(item.ranges.empty()) << "TuskPrint restricts a range INTERPOL leaves open";
      }
      // Allowed values must come from the field's INT-I code table.
      const std::string table = row->at("CodeTable");
      if (!item.values.empty() && !table.empty()) {
        std::set<std::string> known;
        for (const Row& c : codes)
          if (c.at("CodeTable") == table.substr(0, table.find(';'))) known.insert(c.at("Code"));
        for (const auto& v : item.values) EXPECT_TRUE(known.count(v)) << v << " not in code table " << table;
      }
    }
  }
  EXPECT_GT(compared_items, 40);
  EXPECT_EQ(deviations, 6);  // VER, CNT, ANM, 9.003 IMP, 9.302 FGP, 9.331 MTD: each explained in field_rules.cpp
}

}  // namespace
}  // namespace tuskprint::ansinist
