#include <gtest/gtest.h>

#include "ansinist/ansinist.hpp"  // the umbrella header must stay self-contained
#include "ansinist/dump.hpp"
#include "ansinist/mps.hpp"
#include "ansinist/replies.hpp"
#include "ansinist/traditional.hpp"
#include "ansinist/xml.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

namespace tuskprint::ansinist {
namespace {

using test::error_of;

TEST(Xml, Base64RoundTripAndErrors) {
  for (const std::string& s : std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xFF\x10", 3)})
    EXPECT_EQ(base64_decode(base64_encode(s)), s);
  EXPECT_EQ(base64_encode("Man"), "TWFu");
  EXPECT_EQ(base64_decode("TW\nFu\r\n"), "Man");
  EXPECT_NE(error_of([] { base64_decode("TW*u"); }).find("invalid character"), std::string::npos);
  EXPECT_NE(error_of([] { base64_decode("TW=u"); }).find("after '=' padding"), std::string::npos);
  EXPECT_NE(error_of([] { base64_decode("T"); }).find("truncated"), std::string::npos);
}

TEST(Xml, RefusesEmptyMalformedAndInconsistentInput) {
  EXPECT_EQ(error_of([] { read_xml(""); }), "empty input: not an ANSI/NIST-ITL XML transaction");
  EXPECT_NE(error_of([] { read_xml("<a><b></a>"); }).find("malformed XML"), std::string::npos);
  EXPECT_NE(error_of([] { read_xml("<other/>"); }).find("not itl:NISTBiometricInformationExchangePackage"),
            std::string::npos);
  const std::string xml = write_xml(build_mps(test::sample_input()));
  // Drop the Type-13 record: the content summary no longer matches.
  const auto start = xml.find("  <itl:PackageLatentImageRecord>");
  const auto end = xml.find("</itl:PackageLatentImageRecord>\n") + 32;
  std::string missing = xml;
  missing.erase(start, end - start);
  EXPECT_NE(error_of([&] { read_xml(missing); }).find("content summary (1.003 CNT) declares 3 records"),
            std::string::npos);
  // Corrupt base64 in the image.
  std::string bad = xml;
  bad.insert(bad.find("<nc:BinaryBase64Object>") + 23, "%");
  EXPECT_NE(error_of([&] { read_xml(bad); }).find("base64 data: invalid character"), std::string::npos);
  // Every truncation gives an error, never a crash.
  for (std::size_t n = 1; n < xml.size(); n += 97)
    EXPECT_NE(error_of([&] { read_xml(std::string_view(xml).substr(0, n)); }), "(no error)") << n;
}

TEST(Xml, WriterNamesUnmappedFields) {
  Transaction t = build_mps(test::sample_input());
  t.records[3].set(Field::text(13, 20, "comment"));
  EXPECT_EQ(error_of([&] { write_xml(t); }), "field 13.020 has no INT-I XML mapping in TuskPrint's writer");
  t = build_mps(test::sample_input());
  t.records[0].find(17)->subfields[0].resize(2);
  EXPECT_NE(error_of([&] { write_xml(t); }).find("field 1.017 ANM: the XML encoding needs the destination country"),
            std::string::npos);
}

TEST(Xml, ReadsEveryInterpolSample) {
  TP_REQUIRE_SHARED("interpol/XMLsamples");
  int read = 0;
  for (const auto& entry : std::filesystem::directory_iterator(shared / "interpol/XMLsamples")) {
    SCOPED_TRACE(entry.path().string());
    const std::string xml = test::slurp(entry.path());
    if (xml.empty()) {  // some published samples are 0 bytes: a clear error, not a crash
      EXPECT_EQ(error_of([&] { read_xml(xml); }), "empty input: not an ANSI/NIST-ITL XML transaction");
      continue;
    }
    const Transaction t = read_xml(xml);
    ASSERT_GE(t.records.size(), 2u);
    EXPECT_TRUE(t.records[0].value(4) == "MPS" || t.records[0].value(4) == "NPS" || t.records[0].value(4) == "SRE" ||
                t.records[0].value(4) == "ERR" || t.records[0].value(4) == "CPS" || t.records[0].value(4) == "ATP");
    EXPECT_EQ(t.records[0].value(2), "0502");
    EXPECT_FALSE(dump(t).empty());
    ++read;
  }
  EXPECT_GE(read, 6);
}

TEST(Xml, ReadsInterpolMpsSample) {
  TP_REQUIRE_SHARED("interpol/XMLsamples/Sample-MPS-INT-ITransaction.xml");
  const Transaction t = read_xml(test::slurp(shared / "interpol/XMLsamples/Sample-MPS-INT-ITransaction.xml"));
  EXPECT_EQ(t.records[0].value(9), "19125458357684J");
  EXPECT_EQ(t.records[0].find(13)->subfields[0], (Subfield{"INT-I", "0600"}));
  const Record* r2 = t.first(2);
  ASSERT_NE(r2, nullptr);
  EXPECT_EQ(r2->find(7)->subfields[0], (Subfield{"DEU", "47110815"}));
  EXPECT_EQ(r2->value(8), "Evidence001");
  EXPECT_EQ(r2->value(9), "0001");
  const Record* r13 = t.first(13);
  ASSERT_NE(r13, nullptr);
  EXPECT_EQ(r13->value(6), "680");
  EXPECT_EQ(r13->value(11), "WSQ20");
  EXPECT_GT(r13->find(999)->data.size(), 1000u);
  EXPECT_EQ(t.first(9)->find(331)->subfields.size(), 2u);
}

TEST(Xml, ParsesInterpolReplies) {
  TP_REQUIRE_SHARED("interpol/XMLsamples/Sample-SRE-HIT_MPS-INT-ITransaction.xml");
  const auto dir = shared / "interpol/XMLsamples";
  const Reply hit = parse_reply(read_xml(test::slurp(dir / "Sample-SRE-HIT_MPS-INT-ITransaction.xml")));
  EXPECT_EQ(hit.transaction_type, "SRE");
  ASSERT_EQ(hit.results.size(), 1u);
  EXPECT_TRUE(hit.results[0].hit);
  EXPECT_TRUE(hit.results[0].manually_verified);
  EXPECT_EQ(hit.results[0].total_candidates, 3);
  EXPECT_EQ(hit.results[0].candidate_sequence, 1);
  EXPECT_EQ(hit.results[0].search_category, "MPS");
  const Reply none = parse_reply(read_xml(test::slurp(dir / "Sample-SRE-NOHIT-INT-ITransaction.xml")));
  ASSERT_EQ(none.results.size(), 1u);
  EXPECT_FALSE(none.results[0].hit);
  const Reply err = parse_reply(read_xml(test::slurp(dir / "Sample-ERR-INT-ITransaction.xml")));
  EXPECT_EQ(err.transaction_type, "ERR");
  ASSERT_EQ(err.errors.size(), 1u);
  EXPECT_EQ(err.errors[0].code, 112);
  EXPECT_EQ(err.errors[0].field_mnemonic, "DOB");
  EXPECT_EQ(err.errors[0].text, "ERROR: INVALID DATE");
}

TEST(Replies, TraditionalSreAndErr) {
  Transaction t;
  Record r1;
  r1.type = 1;
  r1.set(Field::text(1, 4, "SRE"));
  r1.set(Field::text(1, 10, "26123456789012T"));
  Record r2;
  r2.type = 2;
  r2.set(Field::text(2, 2, "00"));
  r2.set(Field::items(2, 64, {"2", "false", "4", "MPS", "I"}));
  t.records = {r1, r2};
  const Reply sre = parse_reply(read_traditional(write_traditional(t)));
  EXPECT_EQ(sre.tcr, "26123456789012T");
  ASSERT_EQ(sre.results.size(), 1u);
  EXPECT_TRUE(sre.results[0].hit);
  EXPECT_EQ(sre.results[0].candidate_sequence, 2);
  EXPECT_EQ(sre.results[0].total_candidates, 4);
  t.records[1].set(Field::items(2, 64, {"", "", "", "MPS", "Q"}));
  EXPECT_EQ(error_of([&] { parse_reply(t); }), "field 2.064 RLS item SRC: 'Q' is neither I (candidates) nor N (no hit)");
  t.records[0].set(Field::text(1, 4, "ERR"));
  EXPECT_EQ(error_of([&] { parse_reply(t); }), "ERR reply carries no field 2.074 ERM");
  t.records[1].set(Field::items(2, 74, {"101", "NAM", "MANDATORY FIELD MISSING"}));
  const Reply err = parse_reply(t);
  ASSERT_EQ(err.errors.size(), 1u);
  EXPECT_EQ(err.errors[0].code, 101);
  t.records[0].set(Field::text(1, 4, "MPS"));
  EXPECT_EQ(error_of([&] { parse_reply(t); }), "field 1.004 TOT: 'MPS' is not a reply (SRE or ERR)");
}

}  // namespace
}  // namespace tuskprint::ansinist
