#include "server/options.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace tuskprint::server {
namespace {
namespace fs = std::filesystem;

class ConfigFile : public ::testing::Test {
 protected:
  void TearDown() override { fs::remove(path_); }
  // The error message of loading `json` ("" when it loads).
  std::string load(const std::string& json, ServerOptions& options) {
    std::ofstream(path_) << json;
    try {
      load_config_file(path_.string(), options);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
      return e.what();
    }
    return "";
  }
  fs::path path_ = fs::temp_directory_path() / ("tp-options-" + std::to_string(::getpid()) + ".json");
};

TEST_F(ConfigFile, FingerIndexKeysReachTheServiceOptions) {
  ServerOptions options;
  EXPECT_EQ(options.service.index_build_threads, 0);  // every core
  EXPECT_EQ(load(R"({"finger_index": {"factory": "BIVF64", "search_breadth": 32, "build_threads": 3}})", options), "");
  EXPECT_EQ(options.service.finger_index_factory, "BIVF64");
  EXPECT_EQ(options.service.finger_search_breadth, 32);
  EXPECT_EQ(options.service.index_build_threads, 3);
}

TEST_F(ConfigFile, BadFingerIndexKeysAreRefusedByName) {
  ServerOptions options;
  EXPECT_NE(load(R"({"finger_index": {"build_threads": -1}})", options).find("finger_index.build_threads must be 0 or more"),
            std::string::npos);
  EXPECT_NE(load(R"({"finger_index": {"threads": 2}})", options).find("unknown key finger_index.threads"),
            std::string::npos);
}

}  // namespace
}  // namespace tuskprint::server
