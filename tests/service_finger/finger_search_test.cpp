// FingerSearch's choice of index type: "auto" picks one by catalog size, keeps a loaded index
// while its type still suits the catalog, and rebuilds one of another type.
#include "service/finger_search.hpp"

#include <filesystem>
#include <memory>

#include <gtest/gtest.h>

#include "index/binary_index.hpp"
#include "server_process.hpp"

namespace tuskprint::service {
namespace {
using tuskprint::testing::TempDir;

TEST(IndexTypeSuits, ConfiguredTypeMustMatchExactly) {
  EXPECT_TRUE(index_type_suits("BFlat", "BFlat", false));
  EXPECT_FALSE(index_type_suits("BIVF1000", "BIVF1200", false));
  EXPECT_FALSE(index_type_suits("BFlat", "BIVF8", false));
}

TEST(IndexTypeSuits, AutomaticKeepsAnIvfOfAboutTheSuggestedSize) {
  EXPECT_TRUE(index_type_suits("BIVF1000", "BIVF1200", true));
  EXPECT_TRUE(index_type_suits("BIVF1000", "BIVF2000", true));
  EXPECT_FALSE(index_type_suits("BIVF1000", "BIVF2001", true));
  EXPECT_FALSE(index_type_suits("BIVF1000", "BIVF499", true));
  EXPECT_FALSE(index_type_suits("BFlat", "BIVF1200", true));
  EXPECT_FALSE(index_type_suits("BIVF1200", "BFlat", true));
  EXPECT_FALSE(index_type_suits("BHNSW32", "BIVF1200", true));
  EXPECT_FALSE(index_type_suits("BIVFx", "BIVF1200", true));
  EXPECT_FALSE(index_type_suits("BIVF", "BIVF1200", true));
}

TEST(FingerSearch, AutomaticTypeFollowsTheCatalogAndReplacesAnUnsuitedIndex) {
  TempDir dir;
  auto catalog = catalog::Catalog::open(dir.path());
  {
    FingerSearch search(*catalog, "auto");
    const FingerIndexStatus status = search.open();
    EXPECT_EQ(status.how_opened, "new");
    EXPECT_EQ(status.factory, index::default_binary_factory(0));
    EXPECT_EQ(search.factory(), "BFlat");
    search.save();
  }
  {
    // The configuration now asks for an IVF: the flat index file is not trusted.
    FingerSearch search(*catalog, "BIVF8");
    const FingerIndexStatus status = search.open();
    EXPECT_EQ(status.how_opened.rfind("rebuilt: ", 0), 0u) << status.how_opened;
    EXPECT_NE(status.how_opened.find("BFlat"), std::string::npos) << status.how_opened;
    EXPECT_EQ(status.factory, "BIVF8");
    search.save();
  }
  {
    // Back to "auto" on a small catalog: an IVF does not suit it, so it is rebuilt flat.
    FingerSearch search(*catalog, "auto");
    const FingerIndexStatus status = search.open();
    EXPECT_EQ(status.how_opened.rfind("rebuilt: ", 0), 0u) << status.how_opened;
    EXPECT_EQ(status.factory, "BFlat");
    search.save();
  }
  {
    FingerSearch search(*catalog, "");  // empty means auto
    const FingerIndexStatus status = search.open();
    EXPECT_EQ(status.how_opened, "loaded");
    EXPECT_EQ(status.factory, "BFlat");
  }
}

}  // namespace
}  // namespace tuskprint::service
