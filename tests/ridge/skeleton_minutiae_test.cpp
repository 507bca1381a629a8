#include <gtest/gtest.h>

#include <cmath>

#include <opencv2/imgproc.hpp>
#include <opencv2/ximgproc.hpp>

#include "ridge/binarised_image.hpp"
#include "ridge/minutiae_detection.hpp"
#include "ridge/repaired_skeleton.hpp"
#include "ridge/skeleton.hpp"
#include "synthetic_patterns.hpp"

namespace tuskprint::ridge {
namespace {

// A uniform field: ridges along +x everywhere, fully coherent.
OrientationField horizontal_field(cv::Size size) {
  OrientationField f;
  f.cell = 4;
  const cv::Size cells((size.width + 3) / 4, (size.height + 3) / 4);
  f.angle = cv::Mat::zeros(cells, CV_32F);
  f.coherence = cv::Mat::ones(cells, CV_32F);
  f.cos2 = cv::Mat::ones(cells, CV_32F);
  f.sin2 = cv::Mat::zeros(cells, CV_32F);
  return f;
}

cv::Mat canvas() { return cv::Mat::zeros(100, 100, CV_8U); }
void draw(cv::Mat& skel, cv::Point a, cv::Point b) { cv::line(skel, a, b, cv::Scalar(1), 1, cv::LINE_8); }

double angle_error(double a, double b) {
  double d = std::fmod(std::abs(a - b), 2 * CV_PI);
  return std::min(d, 2 * CV_PI - d);
}

const Minutia* find_near(const std::vector<Minutia>& ms, cv::Point p, MinutiaType type) {
  for (const Minutia& m : ms)
    if (m.type == type && std::hypot(m.x - p.x, m.y - p.y) <= 2.5) return &m;
  return nullptr;
}

int count(const std::vector<Minutia>& ms, MinutiaType type) {
  return static_cast<int>(std::count_if(ms.begin(), ms.end(), [&](const Minutia& m) { return m.type == type; }));
}

std::vector<Minutia> detect(const cv::Mat& skel) {
  const cv::Mat mask(skel.size(), CV_8U, cv::Scalar(255));
  return detect_minutiae(skel, mask, horizontal_field(skel.size()), default_params().minutiae);
}

TEST(Minutiae, EndingsAndBifurcationOfADrawnSkeleton) {
  cv::Mat skel = canvas();
  draw(skel, {20, 30}, {70, 30});  // a ridge with two endings
  draw(skel, {20, 70}, {50, 70});  // a stem ...
  draw(skel, {50, 70}, {80, 60});  // ... forking into two branches
  draw(skel, {50, 70}, {80, 80});
  const std::vector<Minutia> ms = detect(skel);
  EXPECT_EQ(count(ms, MinutiaType::kEnding), 5);
  EXPECT_EQ(count(ms, MinutiaType::kBifurcation), 1);

  // Endings point out of the ridge tip; template angles are CCW with y up.
  const Minutia* left = find_near(ms, {20, 30}, MinutiaType::kEnding);
  const Minutia* right = find_near(ms, {70, 30}, MinutiaType::kEnding);
  ASSERT_NE(left, nullptr);
  ASSERT_NE(right, nullptr);
  EXPECT_LT(angle_error(left->direction, CV_PI), 0.1);
  EXPECT_LT(angle_error(right->direction, 0), 0.1);
  ASSERT_NE(find_near(ms, {80, 60}, MinutiaType::kEnding), nullptr);
  ASSERT_NE(find_near(ms, {80, 80}, MinutiaType::kEnding), nullptr);
  // The bifurcation points from the fork towards its stem (left).
  const Minutia* fork = find_near(ms, {50, 70}, MinutiaType::kBifurcation);
  ASSERT_NE(fork, nullptr);
  EXPECT_LT(angle_error(fork->direction, CV_PI), 0.15);
}

TEST(Minutiae, DiagonalEndingDirectionFollowsTheTrace) {
  cv::Mat skel = canvas();
  draw(skel, {20, 80}, {60, 40});  // up and to the right in the image: 45 degrees with y up
  OrientationField field = horizontal_field(skel.size());
  field.angle.setTo(static_cast<float>(CV_PI * 3 / 4));  // image frame: y down
  field.cos2.setTo(static_cast<float>(std::cos(CV_PI * 3 / 2)));
  field.sin2.setTo(static_cast<float>(std::sin(CV_PI * 3 / 2)));
  const cv::Mat mask(skel.size(), CV_8U, cv::Scalar(255));
  const std::vector<Minutia> ms = detect_minutiae(skel, mask, field, default_params().minutiae);
  const Minutia* tip = find_near(ms, {60, 40}, MinutiaType::kEnding);
  ASSERT_NE(tip, nullptr);
  EXPECT_LT(angle_error(tip->direction, CV_PI / 4), 0.1);
}

TEST(Minutiae, NothingOutsideTheMask) {
  cv::Mat skel = canvas();
  draw(skel, {20, 30}, {70, 30});
  cv::Mat mask = cv::Mat::zeros(skel.size(), CV_8U);
  mask(cv::Rect(0, 0, 50, 100)).setTo(255);
  const std::vector<Minutia> ms =
      detect_minutiae(skel, mask, horizontal_field(skel.size()), default_params().minutiae);
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_NEAR(ms[0].x, 20, 1);
}

TEST(Skeleton, MatchesOpenCvZhangSuenThinning) {
  const cv::Mat print = testing::concentric_print();
  cv::Mat binary = print < 130;
  binary.row(0).setTo(0);
  binary.row(binary.rows - 1).setTo(0);
  binary.col(0).setTo(0);
  binary.col(binary.cols - 1).setTo(0);
  cv::Mat reference;
  cv::ximgproc::thinning(binary, reference, cv::ximgproc::THINNING_ZHANGSUEN);
  const cv::Mat ours = skeleton(binary) * 255;
  EXPECT_EQ(cv::countNonZero(ours != reference), 0);
  EXPECT_GT(cv::countNonZero(ours), 1000);
}

TEST(SkeletonRepair, RemovesSpurFragmentAndBridgeAndJoinsGap) {
  const FilterParams& p = default_params().filters;
  cv::Mat skel = canvas();
  draw(skel, {10, 20}, {90, 20});
  draw(skel, {50, 20}, {54, 14});   // spur: 6 px off the ridge
  draw(skel, {10, 40}, {44, 40});   // a ridge broken by a 7 px gap ...
  draw(skel, {52, 40}, {90, 40});
  draw(skel, {30, 55}, {37, 55});   // fragment: 8 px of dirt
  draw(skel, {10, 70}, {90, 70});   // two ridges ...
  draw(skel, {10, 80}, {90, 80});
  draw(skel, {50, 71}, {50, 79});   // ... joined by a bridge across the flow
  const cv::Size size = skel.size();
  const std::vector<Minutia> before = detect(skel);
  EXPECT_GE(count(before, MinutiaType::kBifurcation), 3);

  const cv::Mat repaired = repaired_skeleton(skel, horizontal_field(size), p);
  const std::vector<Minutia> after = detect(repaired);
  EXPECT_EQ(count(after, MinutiaType::kBifurcation), 0);
  // Only the true ends of the four long ridges remain.
  EXPECT_EQ(count(after, MinutiaType::kEnding), 8);
  EXPECT_EQ(find_near(after, {44, 40}, MinutiaType::kEnding), nullptr);
  EXPECT_EQ(find_near(after, {30, 55}, MinutiaType::kEnding), nullptr);
}

}  // namespace
}  // namespace tuskprint::ridge
