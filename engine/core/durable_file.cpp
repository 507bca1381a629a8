#include "core/durable_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace tuskprint {
namespace fs = std::filesystem;
namespace {

void fsync_folder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  TP_CHECK(fd >= 0, kInternal, "cannot open '" << folder.string() << "': " << std::strerror(errno));
  const int rc = ::fsync(fd);
  ::close(fd);
  TP_CHECK(rc == 0, kInternal, "fsync '" << folder.string() << "' failed: " << std::strerror(errno));
}

}  // namespace

void write_file_durably(const fs::path& target, const fs::path& temp, std::string_view bytes) {
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  TP_CHECK(fd >= 0, kInternal, "cannot create '" << temp.string() << "': " << std::strerror(errno));
  try {
    const char* p = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
      const ssize_t n = ::write(fd, p, left);
      if (n < 0 && errno == EINTR) continue;
      TP_CHECK(n > 0, kInternal, "cannot write '" << temp.string() << "': " << std::strerror(errno));
      p += n;
      left -= std::size_t(n);
    }
    TP_CHECK(::fsync(fd) == 0, kInternal,
             "fsync '" << temp.string() << "' failed: " << std::strerror(errno));
  } catch (...) {
    ::close(fd);
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw;
  }
  ::close(fd);
  std::error_code ec;
  fs::rename(temp, target, ec);
  TP_CHECK(!ec, kInternal, "cannot rename '" << temp.string() << "' to '" << target.string()
                                              << "': " << ec.message());
  fsync_folder(target.parent_path());
}

}  // namespace tuskprint
