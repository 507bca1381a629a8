#include <gtest/gtest.h>

#include "ansinist/latent_import.hpp"
#include "ansinist/traditional.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

namespace tuskprint::ansinist {
namespace {

using test::error_of;

TEST(Import, LatentWithEfsMinutiaeAt1000Ppi) {
  TP_REQUIRE_SHARED("data/ansinist/nodenist_latent_with_minutiae.lffs");
  const LatentImport l =
      import_latent(read_traditional(test::slurp(shared / "data/ansinist/nodenist_latent_with_minutiae.lffs")));
  EXPECT_EQ(l.width, 777);
  EXPECT_EQ(l.height, 1132);
  EXPECT_EQ(l.ppi, 1000);
  EXPECT_EQ(l.compression, "NONE");
  EXPECT_EQ(l.image.size(), 777u * 1132u);
  ASSERT_TRUE(l.has_minutiae);
  ASSERT_EQ(l.minutiae.size(), 10u);
  // First minutia 1015, 759 (10 um units) -> 500 ppi pixels.
  EXPECT_NEAR(l.minutiae[0].x, 1015 * 500 / 2540.0, 1e-3);
  EXPECT_NEAR(l.minutiae[0].y, 759 * 500 / 2540.0, 1e-3);
  EXPECT_EQ(l.minutiae[0].type, ridge::MinutiaType::kEnding);
  EXPECT_EQ(l.minutiae[2].type, ridge::MinutiaType::kBifurcation);
  // Every minutia falls inside the image (777 px at 1000 ppi = 388.5 px at 500 ppi).
  for (const auto& m : l.minutiae) {
    EXPECT_LT(m.x, 777 / 2.0);
    EXPECT_LT(m.y, 1132 / 2.0);
  }
}

TEST(Import, LatentWithoutEfsAndScaleInPixelsPerCm) {
  TP_REQUIRE_SHARED("data/ansinist/libbiomeval_type9-13.an2k");
  const LatentImport l = import_latent(read_traditional(test::slurp(shared / "data/ansinist/libbiomeval_type9-13.an2k")));
  EXPECT_EQ(l.width, 191);
  EXPECT_EQ(l.height, 357);
  EXPECT_EQ(l.ppi, 500);  // 197 px/cm
  EXPECT_FALSE(l.has_minutiae);  // its Type-9 uses the legacy 9.004 "S" format, not EFS
}

TEST(Import, RefusesMissingOrInconsistentImages) {
  TP_REQUIRE_SHARED("data/ansinist/libbiomeval_type9-efs.an2k");
  const Transaction no13 = read_traditional(test::slurp(shared / "data/ansinist/libbiomeval_type9-efs.an2k"));
  EXPECT_EQ(error_of([&] { import_latent(no13); }), "transaction holds no Type-13 latent image record");
  Transaction t = read_traditional(test::slurp(shared / "data/ansinist/nodenist_latent_with_minutiae.lffs"));
  Record& r13 = t.records[3];
  r13.find(999)->data.pop_back();
  EXPECT_NE(error_of([&] { import_latent(t); }).find("field 13.999 DATA: 879563 bytes of uncompressed data"),
            std::string::npos);
  r13.set(Field::text(13, 8, "0"));
  EXPECT_NE(error_of([&] { import_latent(t); }).find("13.008 SLC is 0"), std::string::npos);
  r13.set(Field::text(13, 6, "abc"));
  EXPECT_NE(error_of([&] { import_latent(t); }).find("field 13.006 HLL: 'abc'"), std::string::npos);
}

}  // namespace
}  // namespace tuskprint::ansinist
