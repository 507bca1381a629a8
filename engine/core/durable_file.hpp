#pragma once
// Writing a file so that, once it is committed, the whole file is on disk under its name:
// bytes go to `temp` first, are flushed, renamed over `target`, and the folder is flushed.
// A crash at any point leaves either the old file or the new one, never a partial one.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace tuskprint {

// The streaming form, for files too large to hold in memory (index files): write() appends
// through a buffer, commit() makes the file durable under its name. A writer destroyed
// without commit() removes its temporary file and leaves the target as it was.
// Error(kInternal) naming the path when any step fails.
class DurableFileWriter {
 public:
  DurableFileWriter(std::filesystem::path target, std::filesystem::path temp);
  ~DurableFileWriter();
  DurableFileWriter(const DurableFileWriter&) = delete;
  DurableFileWriter& operator=(const DurableFileWriter&) = delete;

  void write(const void* data, std::size_t size);
  void commit();

 private:
  void write_through(const char* data, std::size_t size);
  void flush_buffer();
  void discard() noexcept;

  std::filesystem::path target_, temp_;
  int fd_ = -1;
  std::string buffer_;
};

// Error(kInternal) naming the path when any step fails; the temporary file is removed.
void write_file_durably(const std::filesystem::path& target, const std::filesystem::path& temp,
                        std::string_view bytes);

}  // namespace tuskprint
