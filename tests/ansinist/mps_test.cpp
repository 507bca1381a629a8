#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "ansinist/efs.hpp"
#include "ansinist/field_rules.hpp"
#include "ansinist/latent_import.hpp"
#include "ansinist/mps.hpp"
#include "ansinist/traditional.hpp"
#include "ansinist/xml.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

namespace tuskprint::ansinist {
namespace {

using test::error_of;

double angle_difference(double a, double b) {
  double d = std::fmod(std::fabs(a - b), 2 * std::numbers::pi);
  return std::min(d, 2 * std::numbers::pi - d);
}

// Imported minutiae equal the template's within the EFS rounding (half a 10 um unit is 0.1 px
// at 500 ppi; half a degree in direction).
void expect_same_minutiae(const ridge::FingerTemplate& original, const LatentImport& imported) {
  ASSERT_TRUE(imported.has_minutiae);
  ASSERT_EQ(imported.minutiae.size(), original.minutiae.size());
  for (std::size_t i = 0; i < original.minutiae.size(); ++i) {
    const auto& a = original.minutiae[i];
    const auto& b = imported.minutiae[i];
    EXPECT_NEAR(a.x, b.x, 0.11) << i;
    EXPECT_NEAR(a.y, b.y, 0.11) << i;
    EXPECT_LT(angle_difference(a.direction, b.direction), 0.5 * std::numbers::pi / 180 + 1e-4) << i;
    EXPECT_EQ(a.type, b.type) << i;
  }
}

TEST(Mps, BuildsTheInterpolRecords) {
  const MpsInput in = test::sample_input();
  const Transaction t = build_mps(in);
  ASSERT_EQ(t.records.size(), 4u);
  const Record& r1 = t.records[0];
  EXPECT_EQ(r1.value(2), "0502");
  EXPECT_EQ(r1.value(4), "MPS");
  EXPECT_EQ(r1.value(5), "20261118");
  EXPECT_EQ(r1.value(9).substr(0, 14), "26123456789012");
  EXPECT_EQ(r1.find(13)->subfields[0], (Subfield{"INT-I", "0600"}));
  EXPECT_EQ(r1.value(14).size(), 15u);
  EXPECT_EQ(r1.value(7), "INT");
  EXPECT_EQ(r1.value(8), "KWSFL");
  const Record* r9 = t.first(9);
  const Record* r13 = t.first(13);
  ASSERT_TRUE(r9 && r13);
  EXPECT_EQ(r9->idc(), r13->idc());
  EXPECT_EQ(r9->value(3), "4");
  EXPECT_EQ(r9->find(300)->subfields[0], (Subfield{"813", "1016"}));  // 320x400 px at 1000 ppi
  EXPECT_EQ(r13->value(11), "PNG");
  EXPECT_EQ(r13->value(9), "1000");
  EXPECT_EQ(r13->value(10), "1000");
  EXPECT_EQ(r13->find(999)->data, in.image);  // grey PNG stored unchanged
  // Minutia 1 at (9.4, 183.4) px at 500 ppi -> (47.75, 931.67) units, 0.77 rad = 44.1 deg.
  EXPECT_EQ(r9->find(331)->subfields[1], (Subfield{"48", "932", "44", "B"}));
}

TEST(Mps, TraditionalRoundTripKeepsMinutiaeAndImage) {
  const MpsInput in = test::sample_input();
  const Transaction t = build_mps(in);
  const std::string bytes = write_traditional(t);
  const Transaction back = read_traditional(bytes);
  EXPECT_EQ(write_traditional(back), bytes);
  const LatentImport l = import_latent(back);
  EXPECT_EQ(l.image, in.image);
  EXPECT_EQ(l.width, in.width);
  EXPECT_EQ(l.height, in.height);
  EXPECT_EQ(l.ppi, 1000);
  EXPECT_EQ(l.compression, "PNG");
  expect_same_minutiae(in.features, l);
  // The traditional encoding carries only DAN and OAN in 1.017 ANM.
  EXPECT_EQ(back.records[0].find(17)->subfields[0].size(), 2u);
}

TEST(Mps, XmlRoundTripKeepsMinutiaeAndImage) {
  MpsInput in = test::sample_input();
  in.photo = SourcePhoto{test::synthetic_png(64, 48), "PNG"};
  const Transaction t = build_mps(in);
  const std::string xml = write_xml(t);
  const Transaction back = read_xml(xml);
  // Every field survives: the traditional encodings of both are identical.
  EXPECT_EQ(write_traditional(back), write_traditional(t));
  EXPECT_EQ(write_xml(back), xml);
  const LatentImport l = import_latent(back);
  EXPECT_EQ(l.image, in.image);
  expect_same_minutiae(in.features, l);
  EXPECT_EQ(back.first(20)->find(999)->data, in.photo->bytes);
}

TEST(Mps, RawGreyIsStoredUncompressed) {
  MpsInput in = test::sample_input();
  in.media_type = kMediaRawGrey8;
  in.image = std::string(static_cast<std::size_t>(in.width) * in.height, '\x80');
  const Transaction t = build_mps(in);
  EXPECT_EQ(t.first(13)->value(11), "NONE");
  const LatentImport l = import_latent(read_traditional(write_traditional(t)));
  EXPECT_EQ(l.image, in.image);
  in.image.pop_back();
  EXPECT_NE(error_of([&] { build_mps(in); }).find("raw grey latent image has"), std::string::npos);
}

TEST(Mps, ColourImagesBecomeLosslessGreyPng) {
  MpsInput in = test::sample_input();
  cv::Mat colour(in.height, in.width, CV_8UC3, cv::Scalar(10, 200, 30));
  std::vector<unsigned char> png;
  cv::imencode(".png", colour, png);
  in.image.assign(png.begin(), png.end());
  const Transaction t = build_mps(in);
  EXPECT_EQ(t.first(13)->value(11), "PNG");
  EXPECT_NE(t.first(13)->find(999)->data, in.image);
}

TEST(Mps, RefusesFieldRuleViolationsNamingTheField) {
  MpsInput in = test::sample_input();
  in.evidence_id = std::string(40, 'E');
  EXPECT_EQ(error_of([&] { build_mps(in); }), "field 2.008 SQN: length 40 exceeds maximum 32");
  in = test::sample_input();
  in.latent_id = "L-2";
  EXPECT_NE(error_of([&] { build_mps(in); }).find("field 2.009 MID: character '-'"), std::string::npos);
  in = test::sample_input();
  in.case_country = "KE";
  EXPECT_EQ(error_of([&] { build_mps(in); }), "field 2.007 CNO item CN1: length 2 is below minimum 3");
  in = test::sample_input();
  in.finger_position = 15;
  EXPECT_NE(error_of([&] { build_mps(in); }).find("field 9.302 FPP: value 15 is outside {0..10,20..28}"),
            std::string::npos);
  in = test::sample_input();
  in.origin.id = "";
  EXPECT_EQ(error_of([&] { build_mps(in); }), "field 1.008 ORI: length 0 is below minimum 1");
  in = test::sample_input();
  in.ppi = 50;
  EXPECT_NE(error_of([&] { build_mps(in); }).find("13.009 THPS"), std::string::npos);
  in = test::sample_input();
  in.width = 100;
  EXPECT_NE(error_of([&] { build_mps(in); }).find("latent image is 320x400 but the input says 100x400"),
            std::string::npos);
  in = test::sample_input();
  in.image.clear();
  EXPECT_EQ(error_of([&] { build_mps(in); }), "latent image is empty");
}

TEST(Mps, ValidatorFlagsMissingMandatoryFieldsAndBadTcn) {
  Transaction t = build_mps(test::sample_input());
  Transaction missing = t;
  auto& f13 = missing.records[3].fields;
  f13.erase(std::remove_if(f13.begin(), f13.end(), [](const Field& f) { return f.number == 11; }), f13.end());
  EXPECT_EQ(error_of([&] { validate_int_i(missing); }), "field 13.011 CGA: mandatory field is missing");
  Transaction bad_tcn = t;
  std::string tcn = bad_tcn.records[0].value(9);
  tcn.back() = tcn.back() == 'A' ? 'B' : 'A';
  bad_tcn.records[0].set(Field::text(1, 9, tcn));
  EXPECT_NE(error_of([&] { validate_int_i(bad_tcn); }).find("field 1.009 TCN"), std::string::npos);
  Transaction orphan = t;
  orphan.records[2].set(Field::text(9, 2, "05"));
  EXPECT_EQ(error_of([&] { validate_int_i(orphan); }),
            "field 9.002 IDC: 05 matches no Type-13 image (a Type-9 carries its image's IDC)");
  Transaction bad_theta = t;
  bad_theta.records[2].find(331)->subfields[0][2] = "360";
  EXPECT_NE(error_of([&] { validate_int_i(bad_theta); }).find("field 9.331 MIN subfield 1 item MTD: value 360 is outside {0..359}"),
            std::string::npos);
}

TEST(Mps, XmlExportValidatesAgainstIntISchema) {
  TP_REQUIRE_SHARED("interpol/XMLschemas/int-i/1.0/int-i.xsd");
  if (!test::have_xmllint()) GTEST_SKIP() << "xmllint not installed";
  MpsInput in = test::sample_input();
  for (bool with_photo : {false, true}) {
    if (with_photo) in.photo = SourcePhoto{test::synthetic_png(40, 30), "PNG"};
    const std::filesystem::path out =
        std::filesystem::path(TUSKPRINT_BINARY_DIR) / (with_photo ? "an2_mps_photo.xml" : "an2_mps.xml");
    {
      std::ofstream f(out, std::ios::binary);
      f << write_xml(build_mps(in));
    }
    std::string output;
    const int rc = test::run_xmllint(shared / "interpol/XMLschemas/int-i/1.0/int-i.xsd", out, output);
    EXPECT_EQ(rc, 0) << output;
    EXPECT_NE(output.find("validates"), std::string::npos) << output;
  }
}

TEST(Efs, UnitConversion) {
  EXPECT_DOUBLE_EQ(efs_units_per_pixel(500), 5.08);
  ridge::Minutia m;
  m.x = 100;
  m.y = 50;
  m.direction = static_cast<float>(std::numbers::pi);  // pointing left
  m.type = ridge::MinutiaType::kBifurcation;
  const EfsMinutia e = to_efs(m, 500);
  EXPECT_EQ(e.x, 508);
  EXPECT_EQ(e.y, 254);
  EXPECT_EQ(e.theta, 180);
  EXPECT_EQ(e.type, 'B');
  const ridge::Minutia back = from_efs(e, 1000);
  EXPECT_NEAR(back.x, 200, 1e-3);
  EXPECT_NEAR(back.y, 100, 1e-3);
  m.direction = static_cast<float>(2 * std::numbers::pi - 0.001);
  EXPECT_EQ(to_efs(m, 500).theta, 0);
  EXPECT_THROW(efs_units_per_pixel(0), Error);
}

}  // namespace
}  // namespace tuskprint::ansinist
