// Cut-face linking: invariance of the descriptor, mirrored alignment, bad input.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "schreger/link_descriptor.hpp"
#include "schreger/measure.hpp"
#include "test_images.hpp"

namespace tuskprint::schreger {
namespace {

struct Faces {
  LinkFeatures a, a_rotated, b_adjacent, other;
};

const Faces& faces() {
  static const Faces f = [] {
    auto o = testing::small_options();
    o.material = datasets::tusks::Material::kMammoth;
    auto face = [&](int tusk, int slice, double extra_rotation) {
      const auto t = datasets::tusks::sample_tusk(41, tusk, o);
      auto s = datasets::tusks::sample_slice(t, 41, tusk, slice, o);
      s.rotation += extra_rotation;
      return measure(testing::as_scan(datasets::tusks::render_slice(t, s).bgr), testing::kTestPpi).link;
    };
    return Faces{face(0, 0, 0), face(0, 0, 1.1), face(0, 1, 0), face(1, 0, 0)};
  }();
  return f;
}

TEST(LinkDescriptor, FixedLengthAndRotationInvariant) {
  const Faces& f = faces();
  ASSERT_EQ(f.a.descriptor.size(), std::size_t(kLinkDescriptorSize));
  const double same = descriptor_distance(f.a.descriptor, f.a_rotated.descriptor);
  const double other = descriptor_distance(f.a.descriptor, f.other.descriptor);
  // The rotated photograph differs in pixel grid and in lighting relative to the piece.
  EXPECT_LT(same, other);
}

TEST(LinkDescriptor, AdjacentFaceIsNearerThanAnotherTusk) {
  const Faces& f = faces();
  EXPECT_LT(descriptor_distance(f.a.descriptor, f.b_adjacent.descriptor),
            descriptor_distance(f.a.descriptor, f.other.descriptor));
}

TEST(Alignment, AdjacentFacesAlignMirrored) {
  const Faces& f = faces();
  const SchregerParams p;
  const Alignment adj = alignment_score(f.a.polar_map, f.b_adjacent.polar_map, p);
  const Alignment oth = alignment_score(f.a.polar_map, f.other.polar_map, p);
  EXPECT_TRUE(adj.mirrored);
  EXPECT_GT(adj.score, oth.score);
  const double ring_adj = ring_alignment(ring_spectra(f.a.ring_map, false), ring_spectra(f.b_adjacent.ring_map, true), p);
  const double ring_oth = ring_alignment(ring_spectra(f.a.ring_map, false), ring_spectra(f.other.ring_map, true), p);
  EXPECT_GT(ring_adj, ring_oth);
}

TEST(Alignment, SameFaceRotatedAlignsPlainNearTheRotation) {
  const Faces& f = faces();
  const Alignment al = alignment_score(f.a.polar_map, f.a_rotated.polar_map, SchregerParams{});
  EXPECT_FALSE(al.mirrored);
  EXPECT_GT(al.score, 0.5);
  EXPECT_NEAR(std::fmod(al.rotation_deg + 360.0, 360.0), std::fmod(1.1 * 180 / M_PI + 360.0, 360.0), 10.0);
}

TEST(Alignment, BadInputIsAClearError) {
  const SchregerParams p;
  cv::Mat a(4, 8, CV_32F, cv::Scalar(0)), b(4, 9, CV_32F, cv::Scalar(0));
  try {
    alignment_score(a, b, p);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("differ in shape"), std::string::npos);
  }
  try {
    descriptor_distance(std::vector<float>(3), std::vector<float>(4));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("differ in length"), std::string::npos);
  }
  try {
    polar_map_from_values(std::vector<float>(5), 2, 3);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("expected 2 x 3"), std::string::npos);
  }
}

}  // namespace
}  // namespace tuskprint::schreger
