#include <gtest/gtest.h>

#include "ansinist/dump.hpp"
#include "ansinist/traditional.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

namespace tuskprint::ansinist {
namespace {

using test::error_of;

Transaction small_transaction() {
  Transaction t;
  Record r1;
  r1.type = 1;
  r1.set(Field::text(1, 2, "0502"));
  r1.set(Field::text(1, 4, "MPS"));
  Record r2;
  r2.type = 2;
  r2.set(Field::text(2, 2, "00"));
  r2.set(Field::items(2, 7, {"KEN", "CASE-1"}));
  Record r13;
  r13.type = 13;
  r13.set(Field::text(13, 2, "01"));
  // Binary data containing every separator byte: it must travel unescaped.
  r13.set(Field::bytes(13, 999, std::string("\x1C\x1D\x1E\x1F\x00pixels", 10)));
  t.records = {r1, r2, r13};
  return t;
}

// A Type-4 binary record: 4-byte length, IDC, IMP, 6 FGP bytes, ISR, HLL, VLL, GCA, data.
std::string type4_record(unsigned char idc, const std::string& data) {
  const std::uint32_t len = 18 + static_cast<std::uint32_t>(data.size());
  std::string r;
  for (int shift = 24; shift >= 0; shift -= 8) r += static_cast<char>((len >> shift) & 0xFF);
  r += static_cast<char>(idc);
  r += '\x01';                            // IMP rolled
  r += std::string("\x02\xFF\xFF\xFF\xFF\xFF", 6);  // FGP right index
  r += '\x00';                            // ISR
  r += std::string("\x00\x04\x00\x02", 4);  // HLL 4, VLL 2
  r += '\x00';                            // GCA none
  return r + data;
}

TEST(Traditional, ComputesLenAndCnt) {
  const std::string bytes = write_traditional(small_transaction());
  const Transaction back = read_traditional(bytes);
  ASSERT_EQ(back.records.size(), 3u);
  // Each LEN equals its record's byte count; the records tile the file exactly.
  std::size_t total = 0;
  for (const Record& r : back.records) total += static_cast<std::size_t>(parse_decimal(r.value(1)));
  EXPECT_EQ(total, bytes.size());
  const std::size_t len1 = static_cast<std::size_t>(parse_decimal(back.records[0].value(1)));
  EXPECT_EQ(bytes[len1 - 1], kFS);
  EXPECT_EQ(bytes.substr(0, 6), "1.001:");
  // CNT: 1<US>2, then type<US>IDC per record in file order.
  const Field* cnt = back.records[0].find(3);
  ASSERT_NE(cnt, nullptr);
  ASSERT_EQ(cnt->subfields.size(), 3u);
  EXPECT_EQ(cnt->subfields[0], (Subfield{"1", "2"}));
  EXPECT_EQ(cnt->subfields[1], (Subfield{"2", "00"}));
  EXPECT_EQ(cnt->subfields[2], (Subfield{"13", "01"}));
  EXPECT_EQ(back.records[2].find(999)->data, std::string("\x1C\x1D\x1E\x1F\x00pixels", 10));
  EXPECT_EQ(back.records[1].find(7)->subfields[0], (Subfield{"KEN", "CASE-1"}));
  // Writing what was read reproduces the bytes.
  EXPECT_EQ(write_traditional(back), bytes);
}

TEST(Traditional, LenCountsItsOwnDigits) {
  // Grow a record across the 99/100 and 999/1000 boundaries: LEN must stay exact.
  for (int n = 70; n < 1010; n += 1) {
    Transaction t;
    Record r1;
    r1.type = 1;
    r1.set(Field::text(1, 2, std::string(static_cast<std::size_t>(n), '7')));
    t.records = {r1};
    const std::string bytes = write_traditional(t);
    const Transaction back = read_traditional(bytes);
    ASSERT_EQ(static_cast<std::size_t>(parse_decimal(back.records[0].value(1))), bytes.size()) << n;
  }
}

TEST(Traditional, ReadsTwoDigitTagsAndOldVersions) {
  const std::string rec1 = std::string("1.01:40\x1D" "1.02:0200\x1D" "1.03:1\x1F" "1\x1E" "2\x1F" "0\x1D" "1.04:CAR\x1C");
  ASSERT_EQ(rec1.size(), 40u);
  const std::string rec2 = std::string("2.01:22\x1D" "2.02:0\x1D" "2.18:X\x1C");
  ASSERT_EQ(rec2.size(), 22u);
  const Transaction t = read_traditional(rec1 + rec2);
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[0].value(2), "0200");
  EXPECT_EQ(t.records[1].value(18), "X");
  EXPECT_EQ(t.records[1].idc(), 0);
}

TEST(Traditional, KeepsType4BinaryRecordsOpaque) {
  Transaction t = small_transaction();
  Record r4;
  r4.type = 4;
  r4.opaque = type4_record(7, "\x10\x20\x30\x40\x50\x60\x70\x80");
  t.records.insert(t.records.begin() + 2, r4);
  const std::string bytes = write_traditional(t);
  const Transaction back = read_traditional(bytes);
  ASSERT_EQ(back.records.size(), 4u);
  EXPECT_TRUE(back.records[2].is_opaque());
  EXPECT_EQ(back.records[2].idc(), 7);
  EXPECT_EQ(back.records[2].opaque, r4.opaque);
  EXPECT_EQ(back.records[0].find(3)->subfields[2], (Subfield{"4", "07"}));
  EXPECT_NE(dump(back).find("binary record, <26 bytes>"), std::string::npos);
  // Truncating inside the Type-4 record is caught by its 4-byte length.
  const std::size_t type4_end = bytes.find(r4.opaque) + r4.opaque.size();
  EXPECT_NE(error_of([&] { read_traditional(std::string_view(bytes).substr(0, type4_end - 3)); })
                .find("exceeds the"),
            std::string::npos);
}

TEST(Traditional, RefusesTruncatedAndInconsistentFiles) {
  const std::string bytes = write_traditional(small_transaction());
  EXPECT_EQ(error_of([] { read_traditional(""); }), "empty input: not an ANSI/NIST-ITL file");
  // Every truncation is refused with a clear error, never a crash.
  for (std::size_t n = 1; n < bytes.size(); ++n) {
    const std::string msg = error_of([&] { read_traditional(std::string_view(bytes).substr(0, n)); });
    EXPECT_NE(msg, "(no error)") << n;
  }
  EXPECT_NE(error_of([&] { read_traditional(std::string_view(bytes).substr(0, 40)); }).find("truncated"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_traditional(bytes + "xx"); }).find("2 bytes follow the last record"),
            std::string::npos);
  std::string wrong_type = bytes;
  wrong_type.replace(wrong_type.find(std::string("13\x1F") + "01"), 2, "14");
  EXPECT_NE(error_of([&] { read_traditional(wrong_type); }).find("CNT says Type-14 but the file holds Type-13"),
            std::string::npos);
  std::string no_fs = bytes;
  no_fs[static_cast<std::size_t>(parse_decimal(read_traditional(bytes).records[0].value(1))) - 1] = 'x';
  EXPECT_NE(error_of([&] { read_traditional(no_fs); }).find("does not end with FS"), std::string::npos);
  EXPECT_NE(error_of([] { read_traditional("hello world"); }).find("does not start with a x.001 LEN tag"),
            std::string::npos);
}

TEST(Traditional, WriterRefusesSeparatorsAndMisplacedBinary) {
  Transaction t = small_transaction();
  t.records[1].set(Field::text(2, 8, std::string("EV\x1D") + "1"));
  EXPECT_NE(error_of([&] { write_traditional(t); }).find("field 2.008: item 1 of subfield 1 contains a separator"),
            std::string::npos);
  t = small_transaction();
  t.records[1].set(Field::bytes(2, 9, "abc"));
  EXPECT_NE(error_of([&] { write_traditional(t); }).find("field 2.009: only x.999 may hold binary data"),
            std::string::npos);
  t = small_transaction();
  t.records.erase(t.records.begin());
  EXPECT_EQ(error_of([&] { write_traditional(t); }), "transaction must start with a Type-1 record");
}

TEST(Traditional, ReadsAndDumpsEverySharedFile) {
  TP_REQUIRE_SHARED("data/ansinist");
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(shared / "data/ansinist")) {
    SCOPED_TRACE(entry.path().string());
    const std::string bytes = test::slurp(entry.path());
    const Transaction t = read_traditional(bytes);
    ASSERT_GE(t.records.size(), 2u);
    const std::string text = dump(t);
    EXPECT_NE(text.find("Record 1: Type-1"), std::string::npos);
    EXPECT_NE(text.find("1.003 CNT"), std::string::npos);
    if (t.first(13)) {
      EXPECT_NE(text.find("13.999 DATA: <"), std::string::npos);
    }
    // Re-encoding what was read and reading it again keeps every record and payload.
    const Transaction again = read_traditional(write_traditional(t));
    ASSERT_EQ(again.records.size(), t.records.size());
    for (std::size_t i = 0; i < t.records.size(); ++i) {
      EXPECT_EQ(again.records[i].type, t.records[i].type);
      const Field* a = t.records[i].find(999);
      const Field* b = again.records[i].find(999);
      ASSERT_EQ(a == nullptr, b == nullptr);
      if (a) {
        EXPECT_EQ(a->data, b->data);
      }
    }
    ++files;
  }
  EXPECT_GE(files, 3);
}

TEST(Traditional, SharedLatentHasExpectedContent) {
  TP_REQUIRE_SHARED("data/ansinist/nodenist_latent_with_minutiae.lffs");
  const Transaction t = read_traditional(test::slurp(shared / "data/ansinist/nodenist_latent_with_minutiae.lffs"));
  ASSERT_EQ(t.records.size(), 4u);
  EXPECT_EQ(t.records[0].value(2), "0201");  // written with two-digit field numbers
  const Record* r13 = t.first(13);
  ASSERT_NE(r13, nullptr);
  EXPECT_EQ(r13->value(6), "777");
  EXPECT_EQ(r13->find(999)->data.size(), 777u * 1132u);
  EXPECT_EQ(t.first(9)->find(331)->subfields.size(), 10u);
}

}  // namespace
}  // namespace tuskprint::ansinist
