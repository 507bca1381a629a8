// The species call at and around the published thresholds.
#include <gtest/gtest.h>

#include "schreger/species_call.hpp"

namespace tuskprint::schreger {
namespace {

CallInputs with_mean(double mean) {
  CallInputs in;
  in.outer_count = 20;
  in.outer_mean_deg = mean;
  in.outer_sd_deg = 5;
  in.pattern_fraction = 1.0;
  return in;
}

TEST(SpeciesCall, ThresholdsAtTheBandEdges) {
  const SchregerParams p;
  EXPECT_EQ(call_species(with_mean(89.99), p).species, SpeciesCall::kMammoth);
  EXPECT_EQ(call_species(with_mean(90.0), p).species, SpeciesCall::kIndeterminate);
  EXPECT_EQ(call_species(with_mean(102.0), p).species, SpeciesCall::kIndeterminate);
  EXPECT_EQ(call_species(with_mean(115.0), p).species, SpeciesCall::kIndeterminate);
  EXPECT_EQ(call_species(with_mean(115.01), p).species, SpeciesCall::kElephant);
  EXPECT_EQ(call_species(with_mean(35.0), p).species, SpeciesCall::kMammoth);
  EXPECT_EQ(call_species(with_mean(163.0), p).species, SpeciesCall::kElephant);
}

TEST(SpeciesCall, ConfidenceGrowsAwayFromTheThreshold) {
  const SchregerParams p;
  const double near = call_species(with_mean(116), p).confidence;
  const double far = call_species(with_mean(130), p).confidence;
  EXPECT_LT(near, far);
  EXPECT_GT(far, 0.95);
  EXPECT_LT(near, 0.7);
}

TEST(SpeciesCall, NeedsTenOuterAngles) {
  CallInputs in = with_mean(130);
  in.outer_count = 9;
  const CallResult r = call_species(in, SchregerParams{});
  EXPECT_EQ(r.species, SpeciesCall::kIndeterminate);
  EXPECT_NE(r.reason.find("only 9 outer angles"), std::string::npos) << r.reason;
}

TEST(SpeciesCall, NoCdjIsIndeterminate) {
  CallInputs in = with_mean(70);
  in.cdj_found = false;
  const CallResult r = call_species(in, SchregerParams{});
  EXPECT_EQ(r.species, SpeciesCall::kIndeterminate);
  EXPECT_NE(r.reason.find("cementum-dentine junction"), std::string::npos) << r.reason;
}

TEST(SpeciesCall, NoPatternOrNoSectionIsNotIvory) {
  CallInputs in = with_mean(70);
  in.crossing_pattern = false;
  in.pattern_fraction = 0.1;
  EXPECT_EQ(call_species(in, SchregerParams{}).species, SpeciesCall::kNotIvory);
  CallInputs none;
  none.section_found = false;
  const CallResult r = call_species(none, SchregerParams{});
  EXPECT_EQ(r.species, SpeciesCall::kNotIvory);
  EXPECT_NE(r.reason.find("no cross-section"), std::string::npos);
}

TEST(SpeciesCall, Names) {
  EXPECT_STREQ(to_string(SpeciesCall::kElephant), "elephant");
  EXPECT_STREQ(to_string(SpeciesCall::kMammoth), "mammoth");
  EXPECT_STREQ(to_string(SpeciesCall::kIndeterminate), "indeterminate");
  EXPECT_STREQ(to_string(SpeciesCall::kNotIvory), "not_ivory");
}

}  // namespace
}  // namespace tuskprint::schreger
