#include "index/byte_io.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "core/durable_file.hpp"
#include "core/sha256.hpp"

namespace tuskprint::index {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kChecksumChars = 64;  // hex SHA-256
constexpr std::size_t kChunk = std::size_t(1) << 20;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

File open_for_reading(const fs::path& path) {
  File f(std::fopen(path.c_str(), "rb"));
  TP_CHECK(f != nullptr, kInternal, "cannot open '" << path.string() << "': " << std::strerror(errno));
  return f;
}

// Reads exactly `size` bytes; a short read means the file changed or the disk failed.
void read_exactly(std::FILE* f, void* data, std::size_t size, const fs::path& path) {
  TP_CHECK(std::fread(data, 1, size, f) == size, kDataLoss,
           "cannot read '" << path.string() << "' (" << (std::ferror(f) ? std::strerror(errno) : "it got shorter")
                           << ")");
}

// Everything written goes to the file and the checksum, in blocks (most writes are a few
// bytes: one field).
class HashingFileSink final : public ByteSink {
 public:
  explicit HashingFileSink(DurableFileWriter& out) : out_(out) { block_.reserve(kChunk); }
  void write(const void* data, std::size_t size) override {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
      const std::size_t n = std::min(size, kChunk - block_.size());
      block_.append(p, n);
      p += n;
      size -= n;
      if (block_.size() == kChunk) flush();
    }
  }
  std::string hex_digest() {
    flush();
    return hash_.hex_digest();
  }

 private:
  void flush() {
    hash_.update(block_.data(), block_.size());
    out_.write(block_.data(), block_.size());
    block_.clear();
  }
  DurableFileWriter& out_;
  Sha256 hash_;
  std::string block_;
};

// The body of a file whose checksum has been checked, read through a buffer of its own (most
// reads are a few bytes: one field).
class FileSource final : public ByteSource {
 public:
  FileSource(std::FILE* f, std::uint64_t body_size, const fs::path& path, const char* what)
      : ByteSource(what), file_(f), left_(body_size), unbuffered_(body_size), path_(path), buffer_(kChunk) {}
  std::uint64_t remaining() const override { return left_; }

 protected:
  void read_available(void* data, std::size_t size) override {
    char* out = static_cast<char*>(data);
    left_ -= size;
    const std::size_t from_buffer = std::min(size, end_ - at_);
    std::memcpy(out, buffer_.data() + at_, from_buffer);
    at_ += from_buffer;
    out += from_buffer;
    size -= from_buffer;
    if (size == 0) return;
    if (size >= buffer_.size()) {  // large arrays go straight to their place
      read_exactly(file_, out, size, path_);
      unbuffered_ -= size;
      return;
    }
    end_ = std::size_t(std::min<std::uint64_t>(buffer_.size(), unbuffered_));
    read_exactly(file_, buffer_.data(), end_, path_);
    unbuffered_ -= end_;
    std::memcpy(out, buffer_.data(), size);
    at_ = size;
  }

 private:
  std::FILE* file_;
  std::uint64_t left_;        // body bytes not handed out
  std::uint64_t unbuffered_;  // body bytes not read from the file yet
  const fs::path& path_;
  std::vector<char> buffer_;
  std::size_t at_ = 0, end_ = 0;
};

}  // namespace

void save_checksummed_file(const fs::path& path, std::string_view tag, const WriteBody& write_body) {
  DurableFileWriter out(path, path.string() + ".tmp");
  HashingFileSink sink(out);
  sink.write(tag.data(), tag.size());
  write_body(sink);
  const std::string checksum = sink.hex_digest();
  out.write(checksum.data(), checksum.size());
  out.commit();
}

void load_checksummed_file(const fs::path& path, std::string_view tag, const char* what, const ReadBody& read_body) {
  // One handle for both passes: a file renamed over this one meanwhile is not mixed in.
  File f = open_for_reading(path);
  TP_CHECK(std::fseek(f.get(), 0, SEEK_END) == 0, kInternal,
           "cannot seek in '" << path.string() << "': " << std::strerror(errno));
  const long end = std::ftell(f.get());
  TP_CHECK(end >= 0 && std::fseek(f.get(), 0, SEEK_SET) == 0, kInternal,
           "cannot seek in '" << path.string() << "': " << std::strerror(errno));
  const auto size = std::uint64_t(end);
  TP_CHECK(size >= tag.size() + kChecksumChars, kDataLoss, what << " is truncated (shorter than its tag and checksum)");
  const std::uint64_t body_size = size - kChecksumChars;
  {
    std::vector<char> chunk(kChunk);
    read_exactly(f.get(), chunk.data(), tag.size(), path);
    TP_CHECK(std::string_view(chunk.data(), tag.size()) == tag, kFailedPrecondition,
             what << " is in another format (an older version's, or not such a file)");
    Sha256 hash;
    hash.update(chunk.data(), tag.size());
    for (std::uint64_t left = body_size - tag.size(); left > 0;) {
      const std::size_t n = std::size_t(std::min<std::uint64_t>(left, kChunk));
      read_exactly(f.get(), chunk.data(), n, path);
      hash.update(chunk.data(), n);
      left -= n;
    }
    std::string stored(kChecksumChars, '\0');
    read_exactly(f.get(), stored.data(), stored.size(), path);
    TP_CHECK(hash.hex_digest() == stored, kDataLoss, what << " fails its checksum (corrupt or truncated)");
  }
  TP_CHECK(std::fseek(f.get(), long(tag.size()), SEEK_SET) == 0, kInternal,
           "cannot rewind '" << path.string() << "': " << std::strerror(errno));
  FileSource source(f.get(), body_size - tag.size(), path, what);
  read_body(source);
  TP_CHECK(source.remaining() == 0, kDataLoss, what << " has " << source.remaining() << " unread bytes");
}

std::string checksummed_bytes(std::string_view tag, const WriteBody& write_body) {
  ByteWriter w;
  w.write(tag.data(), tag.size());
  write_body(w);
  w.bytes() += sha256_hex(w.bytes());
  return std::move(w.bytes());
}

void read_checksummed_bytes(std::string_view bytes, std::string_view tag, const char* what, const ReadBody& read_body) {
  TP_CHECK(bytes.size() >= tag.size() + kChecksumChars, kDataLoss,
           what << " is truncated (shorter than its tag and checksum)");
  TP_CHECK(bytes.substr(0, tag.size()) == tag, kFailedPrecondition,
           what << " is in another format (an older version's, or not such a file)");
  const std::string_view body = bytes.substr(0, bytes.size() - kChecksumChars);
  TP_CHECK(sha256_hex(body) == bytes.substr(body.size()), kDataLoss,
           what << " fails its checksum (corrupt or truncated)");
  ByteReader reader(body.substr(tag.size()), what);
  read_body(reader);
  TP_CHECK(reader.remaining() == 0, kDataLoss, what << " has " << reader.remaining() << " unread bytes");
}

}  // namespace tuskprint::index
