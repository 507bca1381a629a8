#include "ansinist/mps.hpp"

#include <ctime>
#include <opencv2/imgcodecs.hpp>

#include "ansinist/efs.hpp"
#include "ansinist/field_rules.hpp"
#include "ansinist/tcn.hpp"
#include "ansinist/traditional.hpp"
#include "core/error.hpp"
#include "image/decode.hpp"

namespace tuskprint::ansinist {
namespace {

// Record IDCs inside an MPS: Type-2 carries 00 (INT-I), the latent and its features share 01.
constexpr const char* kIdcText = "00";
constexpr const char* kIdcLatent = "01";
constexpr const char* kIdcPhoto = "02";
constexpr int kImpLatent = 4;
constexpr int kAcquisitionDigitalCamera = 2;  // 20.014 AQS: still image from a digital camera

std::tm utc(std::chrono::system_clock::time_point tp) {
  std::time_t t = std::chrono::system_clock::to_time_t(tp);
  std::tm out{};
  gmtime_r(&t, &out);
  return out;
}

std::string format_time(const std::tm& tm, const char* fmt) {
  char buf[64];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}

struct StoredImage {
  std::string bytes;
  std::string cga;
};

bool is_grey8_png(const std::string& b) {
  static const std::string sig("\x89PNG\r\n\x1a\n", 8);
  return b.size() > 26 && b.compare(0, 8, sig) == 0 && b.compare(12, 4, "IHDR") == 0 &&
         b[24] == 8 && b[25] == 0;
}

StoredImage lossless_image(const MpsInput& in) {
  TP_CHECK(!in.image.empty(), kInvalidArgument, "latent image is empty");
  TP_CHECK(in.width >= 10 && in.height >= 10, kInvalidArgument,
           "latent image size " << in.width << "x" << in.height << " is below 10x10 (13.006 HLL / 13.007 VLL)");
  if (in.media_type == kMediaRawGrey8) {
    TP_CHECK(in.image.size() == static_cast<std::size_t>(in.width) * in.height, kInvalidArgument,
             "raw grey latent image has " << in.image.size() << " bytes, expected " << in.width << "x"
                                          << in.height);
    return {in.image, "NONE"};
  }
  const image::DecodedImage img = image::decode(in.image);
  TP_CHECK(img.width == in.width && img.height == in.height, kInvalidArgument,
           "latent image is " << img.width << "x" << img.height << " but the input says " << in.width
                              << "x" << in.height);
  if (img.media_type == kMediaPng && is_grey8_png(in.image)) return {in.image, "PNG"};
  std::vector<unsigned char> png;
  TP_CHECK(cv::imencode(".png", img.grey, png), kInternal, "PNG encoding of the latent image failed");
  return {std::string(png.begin(), png.end()), "PNG"};
}

Record type1(const MpsInput& in, const std::tm& now) {
  Record r;
  r.type = 1;
  r.set(Field::text(1, 2, "0502"));
  r.set(Field::text(1, 4, "MPS"));
  r.set(Field::text(1, 5, format_time(now, "%Y%m%d")));
  r.set(Field::text(1, 7, in.destination.id));
  r.set(Field::text(1, 8, in.origin.id));
  r.set(Field::text(1, 9, make_tcn(now.tm_year + 1900, in.tcn_serial)));
  r.set(Field::text(1, 11, "00.00"));  // no Type-4 record: NSR/NTR are 00.00
  r.set(Field::text(1, 12, "00.00"));
  r.set(Field::items(1, 13, {"INT-I", "0600"}));
  r.set(Field::text(1, 14, format_time(now, "%Y%m%d%H%M%SZ")));
  Subfield anm{in.destination.name, in.origin.name};
  if (!in.destination.country.empty() || !in.origin.country.empty()) {
    anm.push_back(in.destination.country);
    anm.push_back(in.origin.country);
  }
  r.set(Field::items(1, 17, anm));
  return r;
}

Record type2(const MpsInput& in) {
  Record r;
  r.type = 2;
  r.set(Field::text(2, 2, kIdcText));
  r.set(Field::items(2, 7, {in.case_country, in.case_reference}));
  r.set(Field::text(2, 8, in.evidence_id));
  r.set(Field::text(2, 9, in.latent_id));
  return r;
}

Record type9(const MpsInput& in) {
  TP_CHECK(in.features.ppi > 0, kInvalidArgument, "template resolution " << in.features.ppi << " ppi is not positive");
  const double k = efs_units_per_pixel(in.ppi);
  Record r;
  r.type = 9;
  r.set(Field::text(9, 2, kIdcLatent));
  r.set(Field::text(9, 3, std::to_string(kImpLatent)));
  r.set(Field::text(9, 4, "U"));
  r.set(Field::items(9, 300, {std::to_string(std::lround(in.width * k)), std::to_string(std::lround(in.height * k))}));
  r.set(Field::text(9, 302, std::to_string(in.finger_position)));
  std::vector<EfsMinutia> efs;
  for (const auto& m : in.features.minutiae) efs.push_back(to_efs(m, in.features.ppi));
  if (!efs.empty()) r.set(efs_minutiae_field(efs));
  return r;
}

Record type13(const MpsInput& in, const std::tm& now) {
  const StoredImage stored = lossless_image(in);
  Record r;
  r.type = 13;
  r.set(Field::text(13, 2, kIdcLatent));
  r.set(Field::text(13, 3, std::to_string(kImpLatent)));
  r.set(Field::text(13, 4, in.origin.id));
  r.set(Field::text(13, 5, format_time(now, "%Y%m%d")));
  r.set(Field::text(13, 6, std::to_string(in.width)));
  r.set(Field::text(13, 7, std::to_string(in.height)));
  r.set(Field::text(13, 8, "1"));  // scale in pixels per inch
  r.set(Field::text(13, 9, std::to_string(in.ppi)));
  r.set(Field::text(13, 10, std::to_string(in.ppi)));
  r.set(Field::text(13, 11, stored.cga));
  r.set(Field::text(13, 12, "8"));
  r.set(Field::text(13, 13, std::to_string(in.finger_position)));
  r.set(Field::bytes(13, 999, stored.bytes));
  return r;
}

Record type20(const MpsInput& in, const SourcePhoto& photo) {
  TP_CHECK(!photo.bytes.empty(), kInvalidArgument, "Type-20 source photo is empty");
  Record r;
  r.type = 20;
  r.set(Field::text(20, 2, kIdcPhoto));
  r.set(Field::text(20, 3, "D"));
  r.set(Field::text(20, 4, in.origin.id));
  r.set(Field::text(20, 14, std::to_string(kAcquisitionDigitalCamera)));
  r.set(Field::text(20, 15, photo.file_type));
  r.set(Field::text(20, 21, "1"));
  r.set(Field::bytes(20, 999, photo.bytes));
  return r;
}

}  // namespace

Transaction build_mps(const MpsInput& in) {
  TP_CHECK(in.ppi >= 100 && in.ppi <= 99999, kInvalidArgument,
           "latent resolution " << in.ppi << " ppi is out of range (13.009 THPS)");
  const std::tm now = utc(in.time);
  Transaction t;
  t.records.push_back(type1(in, now));
  t.records.push_back(type2(in));
  t.records.push_back(type9(in));
  t.records.push_back(type13(in, now));
  if (in.photo) t.records.push_back(type20(in, *in.photo));
  // CNT as the writers will compute it, so that it is validated too.
  Field cnt = Field::items(1, 3, {"1", std::to_string(t.records.size() - 1)});
  for (std::size_t i = 1; i < t.records.size(); ++i)
    cnt.subfields.push_back({std::to_string(t.records[i].type), t.records[i].value(2)});
  t.records[0].set(cnt);
  validate_int_i(t);
  return t;
}

}  // namespace tuskprint::ansinist
