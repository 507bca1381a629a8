#pragma once
// Little-endian byte sinks and checked byte sources for TuskPrint's own saved files, in memory
// or streamed to and from disk (index files of a large gallery are several GB: they are never
// held in memory whole). A read past the end throws Error(kDataLoss) naming what was being
// read; nothing reads out of bounds.
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/error.hpp"

namespace tuskprint::index {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(const void* data, std::size_t size) = 0;

  template <typename T>
  void put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    write(&value, sizeof(T));
  }
  void put_string(std::string_view s) {
    put<std::uint64_t>(s.size());
    write(s.data(), s.size());
  }
};

// Into a string.
class ByteWriter final : public ByteSink {
 public:
  void write(const void* data, std::size_t size) override {
    if (size > 0) bytes_.append(static_cast<const char*>(data), size);
  }
  std::string& bytes() { return bytes_; }

 private:
  std::string bytes_;
};

class ByteSource {
 public:
  explicit ByteSource(const char* what) : what_(what) {}
  virtual ~ByteSource() = default;

  // Bytes not read yet.
  virtual std::uint64_t remaining() const = 0;

  // Exactly `size` bytes, or Error(kDataLoss) "<what> is truncated (reading <field>)".
  void read(void* data, std::size_t size, const char* field) {
    need(size, field);
    if (size > 0) read_available(data, size);  // FAISS reads empty arrays at null
  }
  template <typename T>
  T get(const char* field) {
    static_assert(std::is_trivially_copyable_v<T>);
    T value;
    read(&value, sizeof(T), field);
    return value;
  }
  std::string get_string(const char* field) {
    const auto size = get<std::uint64_t>(field);
    need(size, field);
    std::string s(std::size_t(size), '\0');
    if (size > 0) read_available(s.data(), s.size());
    return s;
  }
  const char* what() const { return what_; }

 protected:
  // Reads `size` (> 0) bytes known to be there.
  virtual void read_available(void* data, std::size_t size) = 0;

 private:
  void need(std::uint64_t n, const char* field) const {
    TP_CHECK(n <= remaining(), kDataLoss, what_ << " is truncated (reading " << field << ")");
  }
  const char* what_;
};

// From memory.
class ByteReader final : public ByteSource {
 public:
  ByteReader(std::string_view bytes, const char* what) : ByteSource(what), bytes_(bytes) {}
  std::uint64_t remaining() const override { return bytes_.size() - at_; }

 protected:
  void read_available(void* data, std::size_t size) override {
    std::memcpy(data, bytes_.data() + at_, size);
    at_ += size;
  }

 private:
  std::string_view bytes_;
  std::size_t at_ = 0;
};

// Checksummed files: a format tag, the body, then the lower-case hex SHA-256 of tag and body
// (64 bytes). Loading checks the tag, then the checksum over the whole file (one streaming
// pass), so a reader never parses corrupt bytes, then streams the body to `read_body`, which
// must consume all of it.
using WriteBody = std::function<void(ByteSink&)>;
using ReadBody = std::function<void(ByteSource&)>;

// Written durably (temp file, fsync, rename); Error(kInternal) naming the path on failure.
void save_checksummed_file(const std::filesystem::path& path, std::string_view tag, const WriteBody& write_body);
// Error(kFailedPrecondition) "<what> is in another format ..." for another tag (an older
// version's file); kDataLoss "<what> ..." when the file is shorter than tag and checksum,
// fails the checksum, or has bytes the body reader left; kInternal when it cannot be opened
// or read; errors of read_body pass through.
void load_checksummed_file(const std::filesystem::path& path, std::string_view tag, const char* what,
                           const ReadBody& read_body);

// The same in memory.
std::string checksummed_bytes(std::string_view tag, const WriteBody& write_body);
void read_checksummed_bytes(std::string_view bytes, std::string_view tag, const char* what, const ReadBody& read_body);

}  // namespace tuskprint::index
