#include "ridge/template_io.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include "core/error.hpp"

namespace tuskprint::ridge {
namespace {

FingerTemplate sample_template() {
  FingerTemplate t;
  t.extractor_version = kExtractorVersion;
  t.parameters_hash = parameters_hash();
  t.width = 20;
  t.height = 17;
  t.ppi = 500;
  t.source_ppi = 1000;
  t.quality = 71.5f;
  t.too_poor_to_search = true;
  t.quality_reason = "too few minutiae (2, need 12)";
  t.minutiae = {{10.5f, 3.25f, 1.5f, MinutiaType::kEnding, 0.8f},
                {4.f, 12.f, 6.f, MinutiaType::kBifurcation, 0.25f}};
  t.mask_block_size = 8;
  t.foreground_mask = {0, 1, 1, 1, 1, 0, 0, 1, 0};  // 3 x 3 blocks
  return t;
}

void expect_same(const FingerTemplate& a, const FingerTemplate& b) {
  EXPECT_EQ(a.extractor_version, b.extractor_version);
  EXPECT_EQ(a.parameters_hash, b.parameters_hash);
  EXPECT_EQ(a.width, b.width);
  EXPECT_EQ(a.height, b.height);
  EXPECT_EQ(a.ppi, b.ppi);
  EXPECT_EQ(a.source_ppi, b.source_ppi);
  EXPECT_EQ(a.quality, b.quality);
  EXPECT_EQ(a.too_poor_to_search, b.too_poor_to_search);
  EXPECT_EQ(a.quality_reason, b.quality_reason);
  EXPECT_EQ(a.mask_block_size, b.mask_block_size);
  EXPECT_EQ(a.foreground_mask, b.foreground_mask);
  ASSERT_EQ(a.minutiae.size(), b.minutiae.size());
  for (std::size_t i = 0; i < a.minutiae.size(); ++i) {
    EXPECT_EQ(a.minutiae[i].x, b.minutiae[i].x);
    EXPECT_EQ(a.minutiae[i].y, b.minutiae[i].y);
    EXPECT_EQ(a.minutiae[i].direction, b.minutiae[i].direction);
    EXPECT_EQ(a.minutiae[i].type, b.minutiae[i].type);
    EXPECT_EQ(a.minutiae[i].quality, b.minutiae[i].quality);
  }
}

template <typename F>
void expect_error(F&& f, ErrorCode code, std::initializer_list<std::string> fragments) {
  try {
    f();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    for (const std::string& fragment : fragments)
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(TemplateIo, ProtoRoundTrip) {
  const FingerTemplate t = sample_template();
  const v1::FingerTemplate m = to_proto(t);
  EXPECT_EQ(m.minutiae(1).type(), v1::MINUTIA_TYPE_BIFURCATION);
  EXPECT_EQ(m.source_ppi(), 1000u);
  expect_same(from_proto(m), t);
}

TEST(TemplateIo, FileRoundTrip) {
  const FingerTemplate t = sample_template();
  const std::string path =
      (std::filesystem::temp_directory_path() / ("ridge_tpl_" + std::to_string(::getpid()) + ".tpl")).string();
  save_template(t, path);
  expect_same(load_template(path), t);
  std::filesystem::remove(path);
  expect_error([&] { load_template(path); }, ErrorCode::kNotFound, {path});
}

TEST(TemplateIo, RefusesMismatchedExtractorVersionNamingBoth) {
  FingerTemplate t = sample_template();
  t.extractor_version = "tuskprint-ridge/0.9";
  expect_error([&] { from_proto(to_proto(t)); }, ErrorCode::kFailedPrecondition,
               {"tuskprint-ridge/0.9", kExtractorVersion});
  expect_error([&] { decode_template_file(encode_template_file(t)); }, ErrorCode::kFailedPrecondition,
               {"tuskprint-ridge/0.9", kExtractorVersion});
}

TEST(TemplateIo, RefusesMismatchedParametersHash) {
  FingerTemplate t = sample_template();
  Params other = default_params();
  other.filters.border_margin += 2;
  t.parameters_hash = parameters_hash(other);
  expect_error([&] { from_proto(to_proto(t)); }, ErrorCode::kFailedPrecondition,
               {t.parameters_hash.substr(0, 16), parameters_hash().substr(0, 16)});
  // ... but loads for an extractor configured with those parameters.
  EXPECT_NO_THROW(from_proto(to_proto(t), other));
}

TEST(TemplateIo, CheckedReadsRejectForeignTruncatedAndCorruptFiles) {
  const std::string good = encode_template_file(sample_template());
  EXPECT_EQ(good.substr(0, kTemplateFileTag.size()), kTemplateFileTag);
  expect_error([&] { decode_template_file(""); }, ErrorCode::kInvalidArgument, {"not a TuskPrint template"});
  expect_error([&] { decode_template_file("GIF89a........"); }, ErrorCode::kInvalidArgument,
               {"not a TuskPrint template"});
  expect_error([&] { decode_template_file(good.substr(0, 20)); }, ErrorCode::kDataLoss, {"truncated"});
  expect_error([&] { decode_template_file(good.substr(0, good.size() - 3)); }, ErrorCode::kDataLoss,
               {"header says"});
  std::string corrupt = good;
  corrupt[corrupt.size() - 5] ^= 0x55;
  expect_error([&] { decode_template_file(corrupt); }, ErrorCode::kDataLoss, {"checksum"});
}

TEST(TemplateIo, RejectsInconsistentMaskAndMissingType) {
  FingerTemplate t = sample_template();
  t.foreground_mask.pop_back();
  expect_error([&] { from_proto(to_proto(t)); }, ErrorCode::kDataLoss, {"foreground mask"});
  v1::FingerTemplate m = to_proto(sample_template());
  m.mutable_minutiae(0)->set_type(v1::MINUTIA_TYPE_UNSPECIFIED);
  expect_error([&] { from_proto(m); }, ErrorCode::kInvalidArgument, {"minutia 0"});
}

}  // namespace
}  // namespace tuskprint::ridge
