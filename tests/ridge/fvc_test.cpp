// Extraction on real prints: FVC2002 DB1_B under $TUSKPRINT_SHARED (skipped when absent).
#include <gtest/gtest.h>

#include <cstdlib>
#include <algorithm>
#include <filesystem>
#include <vector>

#include "core/transparency.hpp"
#include "image/decode.hpp"
#include "ridge/extract.hpp"

namespace tuskprint::ridge {
namespace {

std::filesystem::path fvc_dir(const char* db) {
  const char* shared = std::getenv("TUSKPRINT_SHARED");
  if (shared == nullptr) return {};
  return std::filesystem::path(shared) / "data" / "fvc2002" / db;
}

TEST(ExtractFvc, Db1ImagesGiveSaneMinutiaeInsideTheMask) {
  const std::filesystem::path dir = fvc_dir("DB1_B");
  if (dir.empty() || !std::filesystem::is_directory(dir)) GTEST_SKIP() << "no FVC2002 DB1_B under TUSKPRINT_SHARED";
  int images = 0, searchable = 0;
  std::vector<int> counts;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".tif") continue;
    const cv::Mat grey = image::load_file(entry.path().string()).grey;
    cv::Mat mask;
    FingerTemplate t;
    {
      transparency::ScopedSink sink([&](const transparency::Item& item) {
        if (item.key == "segmentation-mask") mask = item.image->clone();
      });
      t = extract(grey, 500);
    }
    ++images;
    searchable += !t.too_poor_to_search;
    const std::string name = entry.path().filename().string();
    // Partial prints (finger half off the sensor) carry few minutiae; none has fewer than 10.
    EXPECT_GE(t.minutiae.size(), 10u) << name;
    counts.push_back(static_cast<int>(t.minutiae.size()));
    EXPECT_LE(t.minutiae.size(), 100u) << name;
    ASSERT_EQ(mask.size(), grey.size()) << name;
    for (const Minutia& m : t.minutiae) {
      EXPECT_TRUE(mask.at<std::uint8_t>(static_cast<int>(m.y), static_cast<int>(m.x)) != 0)
          << name << " minutia at " << m.x << "," << m.y << " outside the foreground";
      EXPECT_GE(m.direction, 0.f);
      EXPECT_LT(m.direction, static_cast<float>(2 * CV_PI));
      EXPECT_GE(m.quality, 0.f);
      EXPECT_LE(m.quality, 1.f);
    }
  }
  EXPECT_EQ(images, 80);
  std::nth_element(counts.begin(), counts.begin() + counts.size() / 2, counts.end());
  EXPECT_GE(counts[counts.size() / 2], 20);  // a typical plain impression: 20-60
  EXPECT_GE(searchable, 76);
}

}  // namespace
}  // namespace tuskprint::ridge
