#pragma once
// Little-endian byte writer and checked reader for TuskPrint's own saved files. A read past
// the end throws Error(kDataLoss) naming what was being read; nothing reads out of bounds.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/error.hpp"

namespace tuskprint::index {

class ByteWriter {
 public:
  template <typename T>
  void put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  void put_string(std::string_view s) {
    put<std::uint64_t>(s.size());
    bytes_.append(s);
  }
  std::string& bytes() { return bytes_; }

 private:
  std::string bytes_;
};

class ByteReader {
 public:
  ByteReader(std::string_view bytes, const char* what) : bytes_(bytes), what_(what) {}

  template <typename T>
  T get(const char* field) {
    static_assert(std::is_trivially_copyable_v<T>);
    need(sizeof(T), field);
    T value;
    std::memcpy(&value, bytes_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return value;
  }
  std::string_view get_string(const char* field) {
    const auto size = get<std::uint64_t>(field);
    need(size, field);
    const std::string_view s = bytes_.substr(at_, size);
    at_ += size;
    return s;
  }
  std::size_t remaining() const { return bytes_.size() - at_; }

 private:
  void need(std::uint64_t n, const char* field) const {
    TP_CHECK(n <= bytes_.size() - at_, kDataLoss,
             what_ << " is truncated (reading " << field << ")");
  }
  std::string_view bytes_;
  const char* what_;
  std::size_t at_ = 0;
};

}  // namespace tuskprint::index
