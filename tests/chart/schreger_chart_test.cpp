#include "chart/schreger_chart.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "datasets/tusks/tusk_set.hpp"

namespace tuskprint::chart {
namespace {

namespace fs = std::filesystem;

std::string error_message(const std::function<void()>& f, ErrorCode expected) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), expected) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no Error thrown";
  return {};
}

TEST(SchregerGeometry, PlainRotationMapsThetaBack) {
  SchregerSide a, b;
  a.result.centre = {100, 200};
  b.result.centre = {50, 60};
  // Plain alignment, rotation 90: A's theta pairs with B's theta + 90. A point of B at
  // theta 90 (straight down in image coordinates) lands at A's theta 0 (to the right).
  const cv::Matx23d m = b_onto_a(a, b, {0.9, false, 90.0});
  const cv::Point2d below_b(50, 70);
  EXPECT_NEAR(m(0, 0) * below_b.x + m(0, 1) * below_b.y + m(0, 2), 110, 1e-9);
  EXPECT_NEAR(m(1, 0) * below_b.x + m(1, 1) * below_b.y + m(1, 2), 200, 1e-9);
}

TEST(SchregerGeometry, MirroredAlignmentReflectsThenRotates) {
  SchregerSide a, b;
  a.result.centre = {0, 0};
  b.result.centre = {0, 0};
  // Mirrored, rotation 30: A's theta pairs with B's -theta - 30, so B's theta -30 - t
  // lands at A's t. B's point at theta -30 - 0 goes to A's theta 0.
  const cv::Matx23d m = b_onto_a(a, b, {0.9, true, 30.0});
  const double t = -30 * M_PI / 180;
  const cv::Point2d p(std::cos(t), std::sin(t));
  EXPECT_NEAR(m(0, 0) * p.x + m(0, 1) * p.y + m(0, 2), 1, 1e-9);
  EXPECT_NEAR(m(1, 0) * p.x + m(1, 1) * p.y + m(1, 2), 0, 1e-9);
  EXPECT_LT(cv::determinant(cv::Matx22d(m(0, 0), m(0, 1), m(1, 0), m(1, 1))), 0);  // a reflection
}

// One synthetic elephant section; B is A rotated (optionally mirrored) by a known amount.
class SchregerChart : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("tp-chart-schreger-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    const auto manifest = datasets::tusks::generate_set(dir_->string(), 1, 2, 5, datasets::tusks::options_for_species("elephant"), "elephant");
    ppi_ = manifest.ppi;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    dir_ = nullptr;
  }
  static std::string path(const std::string& name) { return (*dir_ / name).string(); }

  // Writes `source` rotated by `degrees` about the image centre (and mirrored first).
  static std::string transformed_copy(const std::string& source, double degrees, bool mirror, const std::string& name) {
    cv::Mat image = cv::imread(source, cv::IMREAD_COLOR);
    if (mirror) cv::flip(image, image, 0);
    const cv::Mat r = cv::getRotationMatrix2D(cv::Point2f(image.cols / 2.0f, image.rows / 2.0f), degrees, 1.0);
    cv::Mat rotated;
    cv::warpAffine(image, rotated, r, image.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    cv::imwrite(path(name), rotated);
    return path(name);
  }

  // Correlation of A's grey scan with B's scan mapped through `b_to_a`, inside A's outline.
  static double mapped_correlation(const SchregerSide& a, const SchregerSide& b, const cv::Matx23d& b_to_a) {
    cv::Mat warped;
    cv::warpAffine(b.scan.grey, warped, cv::Mat(b_to_a), a.scan.grey.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                   cv::Scalar(0));
    cv::Mat mask = cv::Mat::zeros(a.scan.grey.size(), CV_8U);
    std::vector<cv::Point> outline;
    for (const auto& p : a.result.outline) outline.emplace_back(int(p.x), int(p.y));
    cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{outline}, cv::Scalar(255));
    cv::erode(mask, mask, cv::Mat(), cv::Point(-1, -1), 15);
    cv::Mat fa, fb;
    a.scan.grey.convertTo(fa, CV_32F);
    warped.convertTo(fb, CV_32F);
    const cv::Scalar ma = cv::mean(fa, mask), mb = cv::mean(fb, mask);
    cv::Mat da = fa - ma[0], db = fb - mb[0];
    cv::Mat m32;
    mask.convertTo(m32, CV_32F, 1.0 / 255);
    const double ab = cv::sum(da.mul(db).mul(m32))[0];
    const double aa = cv::sum(da.mul(da).mul(m32))[0];
    const double bb = cv::sum(db.mul(db).mul(m32))[0];
    return ab / std::sqrt(aa * bb);
  }

  static fs::path* dir_;
  static double ppi_;
};
fs::path* SchregerChart::dir_ = nullptr;
double SchregerChart::ppi_ = 0;

TEST_F(SchregerChart, RotatedCopyIsMappedBackOntoA) {
  const SchregerSide a = load_schreger_side(path("t0000_000.png"), ppi_);
  const SchregerSide b = load_schreger_side(transformed_copy(path("t0000_000.png"), 70, false, "rotated.png"), ppi_);
  const SchregerPairing pairing = compare_sections(a, b);
  EXPECT_FALSE(pairing.best.mirrored);
  EXPECT_GT(pairing.best.score, 0.5);
  const double aligned = mapped_correlation(a, b, b_onto_a(a, b, pairing.best));
  schreger::Alignment opposite = pairing.best;
  opposite.rotation_deg = -opposite.rotation_deg;
  const double wrong = mapped_correlation(a, b, b_onto_a(a, b, opposite));
  EXPECT_GT(aligned, 0.5);
  EXPECT_GT(aligned, wrong + 0.2);
  const cv::Mat picture = render_schreger_chart(a, b, pairing, "LR: no calibration model");
  EXPECT_EQ(picture.type(), CV_8UC3);
  EXPECT_GT(picture.cols, 1000);
}

TEST_F(SchregerChart, MirroredCopyIsMappedBackOntoA) {
  const SchregerSide a = load_schreger_side(path("t0000_000.png"), ppi_);
  const SchregerSide b = load_schreger_side(transformed_copy(path("t0000_000.png"), 25, true, "mirrored.png"), ppi_);
  const SchregerPairing pairing = compare_sections(a, b);
  EXPECT_TRUE(pairing.best.mirrored);
  const double aligned = mapped_correlation(a, b, b_onto_a(a, b, pairing.best));
  EXPECT_GT(aligned, 0.5);
}

TEST_F(SchregerChart, AdjacentFacesChart) {
  const SchregerSide a = load_schreger_side(path("t0000_000.png"), ppi_);
  const SchregerSide b = load_schreger_side(path("t0000_001.png"), ppi_);
  const SchregerPairing pairing = compare_sections(a, b);
  EXPECT_GT(pairing.best.score, 0);
  EXPECT_FALSE(render_schreger_chart(a, b, pairing, "LR: no calibration model").empty());
}

TEST_F(SchregerChart, BlankImageHasNothingToAlign) {
  cv::imwrite(path("blank.png"), cv::Mat(600, 600, CV_8UC3, cv::Scalar(200, 200, 200)));
  const SchregerSide a = load_schreger_side(path("t0000_000.png"), ppi_);
  const SchregerSide blank = load_schreger_side(path("blank.png"), ppi_);
  const std::string message = error_message([&] { compare_sections(a, blank); }, ErrorCode::kInvalidArgument);
  EXPECT_NE(message.find("blank.png"), std::string::npos) << message;
}

TEST_F(SchregerChart, MissingAndNonImageFilesAreRefused) {
  EXPECT_NE(error_message([&] { load_schreger_side(path("absent.png"), ppi_); }, ErrorCode::kNotFound).find("absent.png"),
            std::string::npos);
  std::ofstream(path("words.png")) << "not an image";
  error_message([&] { load_schreger_side(path("words.png"), ppi_); }, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace tuskprint::chart
