#include "ridge/params.hpp"

#include <gtest/gtest.h>

namespace tuskprint::ridge {
namespace {

TEST(RidgeParams, HashIsSha256OfCanonicalSerialisationAndStable) {
  const std::string hash = parameters_hash();
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash, parameters_hash(default_params()));
  const std::string text = canonical_serialisation(default_params());
  for (const char* group : {"normalisation.", "gradient.", "segmentation.", "orientation.",
                            "frequency.", "enhancement.", "binarisation.", "minutiae.",
                            "filters.", "quality.", "output."})
    EXPECT_NE(text.find(group), std::string::npos) << group;
}

TEST(RidgeParams, EveryGroupChangesTheHash) {
  const std::string base = parameters_hash();
  auto changed = [&](auto mutate) {
    Params p = default_params();
    mutate(p);
    return parameters_hash(p) != base;
  };
  EXPECT_TRUE(changed([](Params& p) { p.normalisation.min_side += 1; }));
  EXPECT_TRUE(changed([](Params& p) { p.gradient.presmooth_sigma += 0.1; }));
  EXPECT_TRUE(changed([](Params& p) { p.segmentation.min_coherence += 0.01; }));
  EXPECT_TRUE(changed([](Params& p) { p.orientation.coarse_sigma += 0.5; }));
  EXPECT_TRUE(changed([](Params& p) { p.frequency.max_period += 1; }));
  EXPECT_TRUE(changed([](Params& p) { p.enhancement.radius += 1; }));
  EXPECT_TRUE(changed([](Params& p) { p.binarisation.min_ridge_area += 1; }));
  EXPECT_TRUE(changed([](Params& p) { p.minutiae.direction_trace += 1; }));
  EXPECT_TRUE(changed([](Params& p) { p.filters.gap_length += 1; }));
  EXPECT_TRUE(changed([](Params& p) { p.quality.min_minutiae += 1; }));
  EXPECT_TRUE(changed([](Params& p) { p.output.mask_block += 1; }));
}

}  // namespace
}  // namespace tuskprint::ridge
