#pragma once
// INT-I v6 rules for the fields TuskPrint emits, encoded from the INT-I field table
// (condition code, character type, lengths, occurrences, value ranges). TuskPrint does not
// read INTERPOL's table at run time; tests/ansinist cross-checks this table against it.
//
// Where this table knowingly differs from INTERPOL's machine-readable table, the entry
// says why (`deviation`): the tests list those differences explicitly.
#include <string>
#include <utility>
#include <vector>

#include "ansinist/transaction.hpp"

namespace tuskprint::ansinist {

// Character classes of the ANSI/NIST field tables.
enum class CharType {
  kN,    // digits
  kNS,   // digits and the listed special characters
  kA,    // letters
  kAN,   // letters and digits
  kAS,   // letters and the listed special characters
  kANS,  // letters, digits and the listed special characters (all printable ASCII if none listed)
  kU,    // any UTF-8 text without control characters
  kB,    // binary
};

struct ItemRule {
  const char* mnemonic;
  bool mandatory;             // within its subfield
  CharType type;
  int min_length;
  int max_length;             // 0 = unbounded
  std::vector<std::pair<long, long>> ranges;  // numeric value ranges; empty = any
  std::vector<std::string> values;            // allowed values; empty = any
  const char* special = "";  // special characters allowed for kNS / kAS / kANS ("" = all)
};

struct FieldRule {
  int record_type;
  int number;
  const char* mnemonic;
  char condition;  // 'M' mandatory, 'O' optional, 'D' dependent (mandatory for an MPS)
  int min_occurrences;
  int max_occurrences;  // subfields
  std::vector<ItemRule> items;
  const char* deviation = "";  // why this entry departs from INTERPOL's table, if it does
};

// The rules for an INT-I MPS, one per emitted field (x.001 LEN excluded: it is computed).
const std::vector<FieldRule>& mps_field_rules();
// The rule for one field, or nullptr.
const FieldRule* find_field_rule(int record_type, int number);
// Mnemonic for dumps ("" when unknown): covers the rule table and common base fields.
std::string field_mnemonic(int record_type, int number);

// Checks every field of `t` that has a rule, and that every mandatory ('M' or 'D') field of
// a rule is present in each record of its type, that 1.009 TCN carries its check character,
// and that every Type-9 shares its IDC with a Type-13 image. Throws kInvalidArgument with a message that
// names the field, e.g. "field 2.008 SQN: length 40 exceeds maximum 32".
void validate_int_i(const Transaction& t);

}  // namespace tuskprint::ansinist
