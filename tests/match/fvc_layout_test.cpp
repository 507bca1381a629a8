#include "datasets/fvc/fvc_layout.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"

namespace tuskprint::datasets::fvc {
namespace {

namespace fs = std::filesystem;

class FvcLayoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tuskprint_fvc_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void touch(const std::string& name) { std::ofstream(dir_ / name) << "x"; }
  fs::path dir_;
};

TEST_F(FvcLayoutTest, ListsImagesSortedAndIgnoresOthers) {
  for (const char* name : {"102_1.tif", "101_10.png", "101_2.TIFF", "notes.txt", "x_1.tif", "101.tif",
                           "3_1.bmp", "4_2.jpg", "5_5.gif"}) {
    touch(name);
  }
  fs::create_directory(dir_ / "7_1.tif");  // a directory, not an image
  const auto images = list_images(dir_.string());
  ASSERT_EQ(images.size(), 5u);
  EXPECT_EQ(images[0].file_name, "3_1.bmp");
  EXPECT_EQ(images[1].file_name, "4_2.jpg");
  EXPECT_EQ(images[2].finger, 101);
  EXPECT_EQ(images[2].impression, 2);
  EXPECT_EQ(images[3].impression, 10);
  EXPECT_EQ(images[4].file_name, "102_1.tif");
  EXPECT_EQ(images[4].path, (dir_ / "102_1.tif").string());
}

TEST_F(FvcLayoutTest, DirectoryWithoutImagesIsAnError) {
  touch("readme.txt");
  try {
    list_images(dir_.string());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("no FVC images"), std::string::npos) << e.what();
  }
}

TEST_F(FvcLayoutTest, MissingDirectoryIsNotFound) {
  try {
    list_images((dir_ / "absent").string());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos);
  }
}

TEST_F(FvcLayoutTest, DuplicateFingerImpressionIsAnError) {
  touch("1_1.tif");
  touch("1_1.png");
  try {
    list_images(dir_.string());
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("two files for finger 1 impression 1"), std::string::npos);
  }
}

TEST(FvcLayout, ParsesFileNames) {
  int f = 0, i = 0;
  EXPECT_TRUE(parse_file_name("101_3.tif", f, i));
  EXPECT_EQ(f, 101);
  EXPECT_EQ(i, 3);
  EXPECT_FALSE(parse_file_name("101_3.txt", f, i));
  EXPECT_FALSE(parse_file_name("a_3.tif", f, i));
  EXPECT_FALSE(parse_file_name("101-3.tif", f, i));
  EXPECT_FALSE(parse_file_name("_3.tif", f, i));
}

}  // namespace
}  // namespace tuskprint::datasets::fvc
