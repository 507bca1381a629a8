#include "core/transparency.hpp"

namespace tuskprint::transparency {
namespace {
thread_local Sink* current_sink = nullptr;
}

bool enabled() noexcept { return current_sink != nullptr; }

void emit(std::string_view key, const cv::Mat& image, std::string_view text) {
  if (current_sink == nullptr) return;
  (*current_sink)(Item{key, &image, text});
}

void emit_text(std::string_view key, std::string_view text) {
  if (current_sink == nullptr) return;
  (*current_sink)(Item{key, nullptr, text});
}

ScopedSink::ScopedSink(Sink sink) : previous_(current_sink), sink_(std::move(sink)) {
  current_sink = &sink_;
}

ScopedSink::~ScopedSink() { current_sink = previous_; }

}  // namespace tuskprint::transparency
