#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "graph_fixture.hpp"
#include "link/link_render.hpp"

namespace tuskprint::link {
namespace {

using fixture::add_seizure;
using fixture::finger;
using fixture::schreger;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

LinkGraph network() {
  LinkGraph g;
  add_seizure(g, "SZ-KEN", "KEN", "2024-01-10", Role::kOrigin, 2, 1, 12.5);
  add_seizure(g, "SZ-TZA", "TZA", "2024-02-10", Role::kTransit);
  add_seizure(g, "SZ-VNM", "VNM", "2024-04-01", Role::kDestination);
  finger(g, "SZ-KEN-L1", "SZ-TZA-L1", 5.0);
  schreger(g, "SZ-KEN-X1", "SZ-VNM-X1", 2.5);
  return g;
}

std::vector<std::string> keys(const nlohmann::ordered_json& j) {
  std::vector<std::string> out;
  for (const auto& item : j.items()) out.push_back(item.key());
  return out;
}

TEST(Render, JsonKeysAreStableAndInReadingOrder) {
  const LinkGraph g = network();
  const auto j = clusters_json(g, clusters(g, 2.0), 2.0);
  EXPECT_THAT(keys(j), ElementsAre("min_log10_lr", "clusters"));
  ASSERT_EQ(j["clusters"].size(), 1u);
  const auto& c = j["clusters"][0];
  EXPECT_THAT(keys(c), ElementsAre("seizures", "countries", "date_range", "total_weight_kg",
                                   "specimens_without_weight", "specimen_count", "scan_count", "linking_edges",
                                   "route", "pairs"));
  EXPECT_THAT(keys(c["seizures"][0]), ElementsAre("id", "country", "date", "role", "route_rank"));
  EXPECT_THAT(keys(c["route"]), ElementsAre("basis", "countries", "seizures"));
  EXPECT_EQ(c["route"]["countries"], nlohmann::ordered_json({"KEN", "TZA", "VNM"}));
  EXPECT_THAT(keys(c["pairs"][0]), ElementsAre("seizure_a", "seizure_b", "combined_log10_lr", "modalities"));
  EXPECT_THAT(keys(c["pairs"][0]["modalities"][0]),
              ElementsAre("modality", "combined_log10_lr", "linking_edges", "counted"));
  EXPECT_THAT(keys(c["pairs"][0]["modalities"][0]["counted"][0]),
              ElementsAre("scan_a", "scan_b", "raw_score", "log10_lr", "found_at"));
  EXPECT_DOUBLE_EQ(c["total_weight_kg"].get<double>(), 3 * 12.5 + 6 * 10.0);
  EXPECT_EQ(c["date_range"]["first"], "2024-01-10");
  EXPECT_EQ(c["pairs"][0]["seizure_a"], "SZ-KEN");
  EXPECT_EQ(c["pairs"][0]["modalities"][0]["modality"], "finger");
  EXPECT_EQ(c["pairs"][1]["modalities"][0]["modality"], "schreger");
}

TEST(Render, DotGroupsByCountryColoursByModalityAndLabelsWithLr) {
  const LinkGraph g = network();
  const std::string dot = clusters_dot(g, clusters(g, 2.0));
  EXPECT_THAT(dot, HasSubstr("graph seizure_links {"));
  EXPECT_THAT(dot, HasSubstr("label=\"KEN\""));
  EXPECT_THAT(dot, HasSubstr("label=\"VNM\""));
  EXPECT_THAT(dot, HasSubstr("\"SZ-KEN\" -- \"SZ-TZA\" [color=\"#1f5fbf\""));
  EXPECT_THAT(dot, HasSubstr("\"SZ-KEN\" -- \"SZ-VNM\" [color=\"#d9731a\""));
  EXPECT_THAT(dot, HasSubstr("label=\"finger 5.0 (1)\""));
  EXPECT_THAT(dot, HasSubstr("label=\"schreger 2.5 (1)\""));
  EXPECT_EQ(dot.back(), '\n');
  // Quotes in ids are escaped.
  LinkGraph h;
  add_seizure(h, "A\"1", "KEN", "2024-01-01");
  add_seizure(h, "B", "TZA", "2024-01-02");
  finger(h, "A\"1-L1", "B-L1", 3.0);
  EXPECT_THAT(clusters_dot(h, clusters(h, 2.0)), HasSubstr("\"A\\\"1\" -- \"B\""));
}

TEST(Render, PngThroughGraphviz) {
  if (std::system("command -v dot > /dev/null 2>&1") != 0) GTEST_SKIP() << "GraphViz dot not installed";
  const LinkGraph g = network();
  const auto png = render_png(clusters_dot(g, clusters(g, 2.0)));
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png[0], 0x89);
  EXPECT_EQ(png[1], 'P');
  EXPECT_EQ(png[2], 'N');
  EXPECT_EQ(png[3], 'G');
}

TEST(Render, PngErrorsAreClear) {
  try {
    render_png("graph { a -- b }", std::chrono::seconds(5), "tuskprint-no-such-dot-program");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kFailedPrecondition);
    EXPECT_THAT(e.what(), HasSubstr("install the Debian package graphviz"));
  }
  if (std::system("command -v dot > /dev/null 2>&1") != 0) return;
  try {
    render_png("this is not dot {{{", std::chrono::seconds(5));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
    EXPECT_THAT(e.what(), HasSubstr("'dot' failed"));
  }
  // A program that outlives the timeout is stopped.
  const auto slow = std::filesystem::temp_directory_path() / ("tuskprint-slow-dot-" + std::to_string(::getpid()));
  {
    std::ofstream script(slow);
    script << "#!/bin/sh\nexec sleep 30\n";
  }
  std::filesystem::permissions(slow, std::filesystem::perms::owner_all);
  try {
    render_png("graph { a -- b }", std::chrono::milliseconds(200), slow.string());
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kResourceExhausted);
    EXPECT_THAT(e.what(), HasSubstr("longer than 200 ms"));
  }
  std::filesystem::remove(slow);
}

}  // namespace
}  // namespace tuskprint::link
