#include "core/durable_file.hpp"

#include <algorithm>
#include <filesystem>
#include <string>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace tuskprint {
namespace {
namespace fs = std::filesystem;

// A new empty folder under the temporary directory, named for this process.
fs::path scratch_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(DurableFile, ReplacesTheTargetAndLeavesNoTemporary) {
  const fs::path dir = scratch_dir("tp-durable");
  write_file_durably(dir / "f", dir / "f.tmp", "first");
  write_file_durably(dir / "f", dir / "f.tmp", "second");
  EXPECT_EQ(read_all(dir / "f"), "second");
  EXPECT_FALSE(fs::exists(dir / "f.tmp"));
  fs::remove_all(dir);
}

// A target named without a folder ("out.png") is written into the current directory, whose
// entry is then synced (the empty parent path once failed as "cannot open ''").
TEST(DurableFile, TargetWithoutAFolderIsWrittenInTheCurrentDirectory) {
  const fs::path dir = scratch_dir("tp-durable-cwd");
  const fs::path before = fs::current_path();
  fs::current_path(dir);
  EXPECT_NO_THROW(write_file_durably("f", "f.tmp", "here"));
  fs::current_path(before);
  EXPECT_EQ(read_all(dir / "f"), "here");
  EXPECT_FALSE(fs::exists(dir / "f.tmp"));
  fs::remove_all(dir);
}

TEST(DurableFile, StreamedFileAppearsOnlyOnCommit) {
  const fs::path dir = scratch_dir("tp-durable-stream");
  write_file_durably(dir / "f", dir / "f.tmp", "old");
  // More than the writer's buffer, in pieces of odd sizes.
  std::string expected;
  for (int i = 0; expected.size() < 3'000'000; ++i) expected += std::string(std::size_t(i % 977 + 1), char('a' + i % 26));
  {
    DurableFileWriter out(dir / "f", dir / "f.tmp");
    for (std::size_t at = 0; at < expected.size(); at += 4099)
      out.write(expected.data() + at, std::min<std::size_t>(4099, expected.size() - at));
    // Not committed: the old file stays, the temporary goes.
  }
  auto content = [&] { return read_all(dir / "f"); };
  EXPECT_EQ(content(), "old");
  EXPECT_FALSE(fs::exists(dir / "f.tmp"));
  {
    DurableFileWriter out(dir / "f", dir / "f.tmp");
    // A few buffered bytes, a block larger than the buffer (written through), then pieces.
    out.write(expected.data(), 10);
    out.write(expected.data() + 10, 2'000'000);
    for (std::size_t at = 2'000'010; at < expected.size(); at += 4099)
      out.write(expected.data() + at, std::min<std::size_t>(4099, expected.size() - at));
    out.commit();
  }
  EXPECT_EQ(content(), expected);
  EXPECT_FALSE(fs::exists(dir / "f.tmp"));
  fs::remove_all(dir);
}

TEST(DurableFile, MissingFolderIsAnErrorNamingThePath) {
  try {
    write_file_durably("/nonexistent-tuskprint/f", "/nonexistent-tuskprint/f.tmp", "x");
    FAIL() << "wrote into a missing folder";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
    EXPECT_NE(std::string(e.what()).find("/nonexistent-tuskprint/f.tmp"), std::string::npos);
  }
}

}  // namespace
}  // namespace tuskprint
