#pragma once
// FAISS's reader and writer interfaces over TuskPrint's byte sinks and sources, so that FAISS
// indexes are written to and read from (checksummed) files as a stream, never as a second
// copy in memory. Private to engine/index (includes FAISS headers).
#include <faiss/impl/io.h>

#include <algorithm>
#include <cstdint>

#include "index/byte_io.hpp"

namespace tuskprint::index {

struct SinkWriter final : faiss::IOWriter {
  explicit SinkWriter(ByteSink& sink) : sink(sink) {}
  std::size_t operator()(const void* data, std::size_t size, std::size_t items) override {
    sink.write(data, size * items);
    return items;
  }
  ByteSink& sink;
};

// Returns fewer items than asked at the end of the source; FAISS then throws.
struct SourceReader final : faiss::IOReader {
  explicit SourceReader(ByteSource& source) : source(source) {}
  std::size_t operator()(void* data, std::size_t size, std::size_t items) override {
    if (size == 0) return items;
    const auto fit = std::size_t(std::min<std::uint64_t>(items, source.remaining() / size));
    source.read(data, fit * size, "FAISS payload");
    return fit;
  }
  ByteSource& source;
};

}  // namespace tuskprint::index
