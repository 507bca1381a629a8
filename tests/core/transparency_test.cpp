#include "core/transparency.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tuskprint::transparency {
namespace {

TEST(Transparency, SilentWithoutSink) {
  EXPECT_FALSE(enabled());
  cv::Mat image(2, 2, CV_8U, cv::Scalar(1));
  emit("nobody-listens", image);  // must not crash or allocate a sink
}

TEST(Transparency, ScopedSinkReceivesKeysAndRestores) {
  std::vector<std::string> keys;
  {
    ScopedSink sink([&](const Item& item) { keys.emplace_back(item.key); });
    EXPECT_TRUE(enabled());
    cv::Mat image(2, 2, CV_8U, cv::Scalar(1));
    emit("orientation-field", image);
    emit_text("minutiae", "[]");
  }
  EXPECT_FALSE(enabled());
  EXPECT_EQ(keys, (std::vector<std::string>{"orientation-field", "minutiae"}));
}

}  // namespace
}  // namespace tuskprint::transparency
