#include "ansinist/replies.hpp"

#include "core/error.hpp"

namespace tuskprint::ansinist {
namespace {

const std::string& item(const Subfield& s, std::size_t i) {
  static const std::string empty;
  return i < s.size() ? s[i] : empty;
}

int optional_number(const std::string& text, const char* what) {
  if (text.empty()) return 0;
  const long long v = parse_decimal(text);
  TP_CHECK(v >= 0 && v <= 999999, kDataLoss, what << ": '" << text << "' is not a number");
  return static_cast<int>(v);
}

SearchResult parse_rls(const Field& f) {
  TP_CHECK(!f.subfields.empty(), kDataLoss, "field 2.064 RLS is empty");
  const Subfield& s = f.subfields.front();
  SearchResult r;
  r.candidate_sequence = optional_number(item(s, 0), "field 2.064 RLS item CSI");
  const std::string& mvi = item(s, 1);
  r.manually_verified = mvi == "true" || mvi == "Y" || mvi == "1";
  r.total_candidates = optional_number(item(s, 2), "field 2.064 RLS item CTQ");
  r.search_category = item(s, 3);
  const std::string& src = item(s, 4);
  TP_CHECK(src == "I" || src == "N", kDataLoss,
           "field 2.064 RLS item SRC: '" << src << "' is neither I (candidates) nor N (no hit)");
  r.hit = src == "I";
  return r;
}

}  // namespace

Reply parse_reply(const Transaction& t) {
  const Record* r1 = t.first(1);
  TP_CHECK(r1, kInvalidArgument, "transaction has no Type-1 record");
  Reply reply;
  reply.transaction_type = r1->value(4);
  reply.tcn = r1->value(9);
  reply.tcr = r1->value(10);
  TP_CHECK(reply.transaction_type == "SRE" || reply.transaction_type == "ERR", kInvalidArgument,
           "field 1.004 TOT: '" << reply.transaction_type << "' is not a reply (SRE or ERR)");
  for (const Record* r2 : t.all(2)) {
    if (reply.transaction_type == "SRE") {
      if (const Field* rls = r2->find(64)) reply.results.push_back(parse_rls(*rls));
    } else if (const Field* erm = r2->find(74)) {
      for (const Subfield& s : erm->subfields)
        reply.errors.push_back({optional_number(item(s, 0), "field 2.074 ERM item ECO"), item(s, 1), item(s, 2)});
    }
  }
  TP_CHECK(reply.transaction_type != "SRE" || !reply.results.empty(), kDataLoss,
           "SRE reply carries no field 2.064 RLS");
  TP_CHECK(reply.transaction_type != "ERR" || !reply.errors.empty(), kDataLoss,
           "ERR reply carries no field 2.074 ERM");
  return reply;
}

}  // namespace tuskprint::ansinist
