#pragma once
// INTERPOL replies to a search: SRE (search result, 2.064 RLS) and ERR (error, 2.074 ERM).
#include <string>
#include <vector>

#include "ansinist/transaction.hpp"

namespace tuskprint::ansinist {

// 2.064 RLS: items CSI (candidate sequence), MVI (manually verified), CTQ (total candidates),
// CAC (category of the search, e.g. MPS), SRC (I = candidates found, N = none).
struct SearchResult {
  bool hit = false;
  int candidate_sequence = 0;
  bool manually_verified = false;
  int total_candidates = 0;
  std::string search_category;
};

// 2.074 ERM: error code, mnemonic of the offending field, text.
struct ErrorMessage {
  int code = 0;
  std::string field_mnemonic;
  std::string text;
};

struct Reply {
  std::string transaction_type;  // 1.004 TOT: "SRE" or "ERR"
  std::string tcn;               // 1.009 of the reply
  std::string tcr;               // 1.010: the TCN of the request this answers (may be empty)
  std::vector<SearchResult> results;  // SRE: one per Type-2 carrying RLS
  std::vector<ErrorMessage> errors;   // ERR
};

// Throws kInvalidArgument when the transaction is not an SRE or ERR, kDataLoss when the
// RLS / ERM fields are missing or malformed (naming the field).
Reply parse_reply(const Transaction& t);

}  // namespace tuskprint::ansinist
