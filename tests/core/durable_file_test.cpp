#include "core/durable_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace tuskprint {
namespace {
namespace fs = std::filesystem;

TEST(DurableFile, ReplacesTheTargetAndLeavesNoTemporary) {
  const fs::path dir = fs::temp_directory_path() / ("tp-durable-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  write_file_durably(dir / "f", dir / "f.tmp", "first");
  write_file_durably(dir / "f", dir / "f.tmp", "second");
  std::ifstream in(dir / "f");
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), "second");
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
