#include <cmath>

#include <opencv2/imgproc.hpp>

#include <gtest/gtest.h>

#include "datasets/fingerprints/latent.hpp"

namespace tuskprint::synth {
namespace {

const MasterFingerprint& whorl_master() {
  static const MasterFingerprint m = generate_master(77, FingerClass::kWhorl, SynthParams());
  return m;
}

TEST(SynthLatent, IsAPartialColourLiftAt1000PpiWithConsistentGroundTruth) {
  const SynthParams params;
  for (std::uint64_t seed = 1; seed <= 2; ++seed) {
    const LatentLift lift = render_latent(whorl_master(), seed, params);
    EXPECT_EQ(lift.ppi, 1000);
    EXPECT_EQ(lift.image.type(), CV_8UC3);
    EXPECT_EQ(lift.image.size(), cv::Size(params.latent.width, params.latent.height));
    EXPECT_GE(lift.area_fraction, 0.12);
    EXPECT_LE(lift.area_fraction, 0.55);
    ASSERT_FALSE(lift.minutiae.empty());
    EXPECT_LT(lift.minutiae.size(), whorl_master().minutiae.size());
    for (const ridge::Minutia& m : lift.minutiae) {
      EXPECT_NE(lift.region(static_cast<int>(std::lround(m.y)), static_cast<int>(std::lround(m.x))), 0);
      // Each ground-truth point maps back onto a master minutia (1000 ppi -> master px).
      const cv::Point2d back = lift.unmap(cv::Point2d(m.x, m.y));
      double nearest = 1e9;
      for (const ridge::Minutia& g : whorl_master().minutiae) nearest = std::min(nearest, std::hypot(g.x - back.x, g.y - back.y));
      EXPECT_LT(nearest, 0.05);
    }
  }
}

TEST(SynthLatent, RidgesAreDarkPowderOnCreamIvoryWithLowContrast) {
  const LatentLift lift = render_latent(whorl_master(), 3, SynthParams());
  cv::Mat1b outside = ~lift.region;
  const cv::Scalar bg = cv::mean(lift.image, outside);
  const cv::Scalar mark = cv::mean(lift.image, lift.region);
  EXPECT_GT(bg[2], bg[0] + 15);  // cream: red above blue
  EXPECT_LT(mark[1], bg[1]);      // powder darkens the mark
  EXPECT_GT(mark[1], 60);         // but not to black: low contrast
}

TEST(SynthLatent, BackgroundCarriesSchregerLikeLinesAtAboutOneMillimetre) {
  // Autocorrelation of the bare ivory along each line family's normal peaks near 40 px.
  const LatentLift lift = render_latent(whorl_master(), 4, SynthParams());
  cv::Mat grey;
  cv::cvtColor(lift.image, grey, cv::COLOR_BGR2GRAY);
  cv::Mat1f f;
  grey.convertTo(f, CV_32F);
  cv::Mat1f spectrum;
  cv::Mat1f window = f(cv::Rect(0, 0, 256, 256)).clone();
  window -= cv::mean(window)[0];
  cv::Mat complex;
  cv::dft(window, complex, cv::DFT_COMPLEX_OUTPUT);
  std::vector<cv::Mat1f> planes;
  cv::split(complex, planes);
  cv::magnitude(planes[0], planes[1], spectrum);
  // Strongest low-frequency peak (excluding the DC neighbourhood), as a period in px.
  double best = 0;
  double best_period = 0;
  for (int v = -32; v <= 32; ++v) {
    for (int u = 0; u <= 32; ++u) {
      const double r = std::hypot(u, v);
      if (r < 3) continue;
      const float m = spectrum((v + 256) % 256, u);
      if (m > best) {
        best = m;
        best_period = 256.0 / r;
      }
    }
  }
  EXPECT_NEAR(best_period, 40.0, 8.0);
}

TEST(SynthLatent, SameSeedSameBytes) {
  const LatentLift a = render_latent(whorl_master(), 9, SynthParams());
  const LatentLift b = render_latent(whorl_master(), 9, SynthParams());
  EXPECT_EQ(cv::norm(a.image, b.image, cv::NORM_INF), 0.0);
}

}  // namespace
}  // namespace tuskprint::synth
