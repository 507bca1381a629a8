#pragma once
// Transparency: pipeline stages hand intermediate results to a thread-local sink
// under stable kebab-case keys ("orientation-field", "skeleton", "minutiae").
// When no sink is installed, `transparency::enabled()` is false and stages skip the
// work of preparing what they would have shown: the cost is one thread-local load.
#include <functional>
#include <string_view>

#include <opencv2/core.hpp>

namespace tuskprint::transparency {

// What a stage hands over: an image (any type; the sink decides how to render it)
// and/or a short text (JSON or plain) describing it.
struct Item {
  std::string_view key;
  const cv::Mat* image = nullptr;
  std::string_view text;
};

using Sink = std::function<void(const Item&)>;

// True when a sink listens on this thread.
bool enabled() noexcept;

// Hands an item to the current sink, if any.
void emit(std::string_view key, const cv::Mat& image, std::string_view text = {});
void emit_text(std::string_view key, std::string_view text);

// Installs `sink` on this thread for the lifetime of the scope; restores the previous one.
class ScopedSink {
 public:
  explicit ScopedSink(Sink sink);
  ~ScopedSink();
  ScopedSink(const ScopedSink&) = delete;
  ScopedSink& operator=(const ScopedSink&) = delete;

 private:
  Sink* previous_;
  Sink sink_;
};

}  // namespace tuskprint::transparency
