#pragma once
// Shared helpers for the ansinist tests: the path of ../shared (skip when absent), a small
// synthetic MPS input, file reading and an xmllint runner.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numbers>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <sstream>
#include <string>

#include "ansinist/mps.hpp"
#include "core/error.hpp"

namespace tuskprint::ansinist::test {

inline std::filesystem::path shared_dir() {
  const char* env = std::getenv("TUSKPRINT_SHARED");
  if (!env || !*env || !std::filesystem::is_directory(env)) return {};
  return env;
}

#define TP_REQUIRE_SHARED(sub)                                                              \
  const std::filesystem::path shared = ::tuskprint::ansinist::test::shared_dir();           \
  if (shared.empty() || !std::filesystem::exists(shared / (sub)))                           \
  GTEST_SKIP() << "TUSKPRINT_SHARED/" << (sub) << " not available"

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

// A ridge-like grey test image (sinusoidal rings), PNG-encoded, 8-bit grey.
inline std::string synthetic_png(int width, int height) {
  cv::Mat img(height, width, CV_8UC1);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      img.at<unsigned char>(y, x) = static_cast<unsigned char>(
          127 + 120 * std::sin(std::hypot(x - width / 2.0, y - height / 2.0) * 0.6));
  std::vector<unsigned char> png;
  cv::imencode(".png", img, png);
  return std::string(png.begin(), png.end());
}

inline MpsInput sample_input() {
  MpsInput in;
  in.width = 320;
  in.height = 400;
  in.ppi = 1000;
  in.image = synthetic_png(in.width, in.height);
  in.media_type = kMediaPng;
  in.features.ppi = 500;
  in.features.width = 160;
  in.features.height = 200;
  const ridge::MinutiaType types[] = {ridge::MinutiaType::kEnding, ridge::MinutiaType::kBifurcation,
                                      ridge::MinutiaType::kOther};
  for (int i = 0; i < 25; ++i) {
    ridge::Minutia m;
    m.x = 3.3f + 6.1f * i;
    m.y = 190.7f - 7.3f * i;
    m.direction = static_cast<float>(std::fmod(i * 0.77, 2 * std::numbers::pi));
    m.type = types[i % 3];
    in.features.minutiae.push_back(m);
  }
  in.case_country = "KEN";
  in.case_reference = "KWS/2026-0417";
  in.evidence_id = "TUSK0031";
  in.latent_id = "L0002";
  in.origin = {"KWSFL", "Kenya Wildlife Service Forensic Lab", "KEN"};
  in.destination = {"INT", "INTERPOL", "XPO"};
  in.time = std::chrono::system_clock::from_time_t(1795000000);  // 2026-11-18 UTC
  in.tcn_serial = 123456789012ULL;
  return in;
}

// Runs xmllint against the INT-I schema; returns its exit code and output.
inline int run_xmllint(const std::filesystem::path& xsd, const std::filesystem::path& file, std::string& output) {
  const std::string cmd = "xmllint --noout --schema '" + xsd.string() + "' '" + file.string() + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) output += buf;
  const int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The message of the tuskprint::Error that `f` throws, or "(no error)".
inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

inline bool have_xmllint() { return std::system("xmllint --version >/dev/null 2>&1") == 0; }

}  // namespace tuskprint::ansinist::test
