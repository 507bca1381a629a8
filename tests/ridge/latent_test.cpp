// Latent marks on ivory (synthetic, datasets/fingerprints): the textured tusk background
// (Schreger lines, powder speckle) must not produce minutiae.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "datasets/fingerprints/latent.hpp"
#include "datasets/fingerprints/master.hpp"
#include "ridge/extract.hpp"

namespace tuskprint::ridge {
namespace {

TEST(ExtractLatent, NoMinutiaeOnTheIvoryBackground) {
  const synth::SynthParams params;
  int total = 0;
  for (const std::uint64_t seed : {3u, 8u}) {
    const synth::MasterFingerprint master = synth::generate_master(seed, std::nullopt, params);
    const synth::LatentLift lift = synth::render_latent(master, seed * 7 + 1, params);
    cv::Mat grey;
    cv::cvtColor(lift.image, grey, cv::COLOR_BGR2GRAY);
    const FingerTemplate t = extract(grey, lift.ppi);
    EXPECT_EQ(t.source_ppi, lift.ppi);
    // The developed region at 500 ppi, with a margin of one ridge period or so.
    cv::Mat region;
    cv::resize(lift.region, region, cv::Size(t.width, t.height), 0, 0, cv::INTER_NEAREST);
    cv::dilate(region, region, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(25, 25)));
    for (const Minutia& m : t.minutiae) {
      EXPECT_NE(region.at<std::uint8_t>(static_cast<int>(m.y), static_cast<int>(m.x)), 0)
          << "seed " << seed << ": minutia at " << m.x << "," << m.y << " on the ivory background";
    }
    total += static_cast<int>(t.minutiae.size());
  }
  EXPECT_GT(total, 0);  // the marks themselves do give minutiae
}

}  // namespace
}  // namespace tuskprint::ridge
