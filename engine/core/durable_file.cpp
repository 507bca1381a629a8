#include "core/durable_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace tuskprint {
namespace fs = std::filesystem;
namespace {

// `folder` empty: the current directory (a target named without one, "out.png").
void fsync_folder(const fs::path& folder_or_empty) {
  const fs::path folder = folder_or_empty.empty() ? fs::path(".") : folder_or_empty;
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  TP_CHECK(fd >= 0, kInternal, "cannot open '" << folder.string() << "': " << std::strerror(errno));
  const int rc = ::fsync(fd);
  ::close(fd);
  TP_CHECK(rc == 0, kInternal, "fsync '" << folder.string() << "' failed: " << std::strerror(errno));
}

}  // namespace

constexpr std::size_t kBufferBytes = std::size_t(1) << 20;

DurableFileWriter::DurableFileWriter(fs::path target, fs::path temp)
    : target_(std::move(target)), temp_(std::move(temp)) {
  fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  TP_CHECK(fd_ >= 0, kInternal, "cannot create '" << temp_.string() << "': " << std::strerror(errno));
  buffer_.reserve(kBufferBytes);
}

DurableFileWriter::~DurableFileWriter() { discard(); }

void DurableFileWriter::discard() noexcept {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
  std::error_code ignored;
  fs::remove(temp_, ignored);
}

void DurableFileWriter::write_through(const char* p, std::size_t left) {
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      discard();
      TP_THROW(kInternal, "cannot write '" << temp_.string() << "': " << std::strerror(error));
    }
    p += n;
    left -= std::size_t(n);
  }
}

void DurableFileWriter::flush_buffer() {
  write_through(buffer_.data(), buffer_.size());
  buffer_.clear();
}

void DurableFileWriter::write(const void* data, std::size_t size) {
  TP_CHECK(fd_ >= 0, kInternal, "'" << temp_.string() << "' is not open for writing");
  const char* p = static_cast<const char*>(data);
  if (buffer_.size() + size > kBufferBytes) flush_buffer();
  if (size >= kBufferBytes) {
    write_through(p, size);  // a large block (a whole string, a hashed block) is not copied
  } else {
    buffer_.append(p, size);
  }
}

void DurableFileWriter::commit() {
  TP_CHECK(fd_ >= 0, kInternal, "'" << temp_.string() << "' is not open for writing");
  flush_buffer();
  if (::fsync(fd_) != 0) {
    const int error = errno;
    discard();
    TP_THROW(kInternal, "fsync '" << temp_.string() << "' failed: " << std::strerror(error));
  }
  ::close(fd_);
  fd_ = -1;
  std::error_code ec;
  fs::rename(temp_, target_, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp_, ignored);
    TP_THROW(kInternal, "cannot rename '" << temp_.string() << "' to '" << target_.string()
                                           << "': " << ec.message());
  }
  fsync_folder(target_.parent_path());
}

void write_file_durably(const fs::path& target, const fs::path& temp, std::string_view bytes) {
  DurableFileWriter out(target, temp);
  out.write(bytes.data(), bytes.size());
  out.commit();
}

}  // namespace tuskprint
