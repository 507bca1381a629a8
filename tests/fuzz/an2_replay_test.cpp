// Replay of mutated inputs for compilers without libFuzzer (GCC): truncations and byte flips
// of valid traditional and XML transactions go to both readers, which must either succeed or
// throw tuskprint::Error (a clear message), never crash or throw anything else. Run under
// -DTUSKPRINT_SANITIZE=ON this also catches out-of-bounds reads.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <random>
#include <sstream>

#include "ansinist/dump.hpp"
#include "ansinist/latent_import.hpp"
#include "ansinist/mps.hpp"
#include "ansinist/traditional.hpp"
#include "ansinist/xml.hpp"
#include "core/error.hpp"

namespace tuskprint::ansinist {
namespace {

Transaction valid_transaction() {
  MpsInput in;
  in.width = 48;
  in.height = 40;
  in.ppi = 500;
  cv::Mat img(in.height, in.width, CV_8UC1);
  cv::randu(img, 0, 255);
  std::vector<unsigned char> png;
  cv::imencode(".png", img, png);
  in.image.assign(png.begin(), png.end());
  for (int i = 0; i < 6; ++i) {
    ridge::Minutia m;
    m.x = 4.0f + 6 * i;
    m.y = 30.0f - 4 * i;
    m.direction = 0.9f * i;
    in.features.minutiae.push_back(m);
  }
  in.case_country = "TZA";
  in.case_reference = "CASE-7";
  in.evidence_id = "EV7";
  in.latent_id = "L1";
  in.origin = {"TZFL", "Forensic Bureau", "TZA"};
  in.destination = {"INT", "INTERPOL", "XPO"};
  in.time = std::chrono::system_clock::from_time_t(1790000000);
  in.tcn_serial = 42;
  return build_mps(in);
}

// Success or tuskprint::Error only; anything else fails the test.
template <typename Reader>
void expect_clear_outcome(const Reader& read, const std::string& input, const std::string& what) {
  try {
    const Transaction t = read(input);
    (void)dump(t);
    try {
      (void)import_latent(t);
    } catch (const Error&) {
    }
  } catch (const Error& e) {
    EXPECT_GT(std::string(e.what()).size(), 5u) << what;
  } catch (const std::exception& e) {
    ADD_FAILURE() << what << ": unexpected exception type: " << e.what();
  }
}

std::vector<std::string> mutations(const std::string& valid, unsigned seed) {
  std::vector<std::string> out;
  std::mt19937 rng(seed);
  // Truncations at a spread of lengths, including inside every header.
  for (std::size_t n = 0; n < valid.size(); n += 1 + valid.size() / 300) out.push_back(valid.substr(0, n));
  // Single and multiple byte flips, with bias to separator and digit bytes.
  const char interesting[] = {'\x1C', '\x1D', '\x1E', '\x1F', '0', '9', ':', '.', '<', '>', '/', '\0', '\xFF'};
  for (int i = 0; i < 400; ++i) {
    std::string m = valid;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) {
      const std::size_t at = rng() % std::min<std::size_t>(m.size(), i % 2 ? m.size() : 600);
      m[at] = rng() % 2 ? interesting[rng() % sizeof interesting] : static_cast<char>(rng() & 0xFF);
    }
    out.push_back(std::move(m));
  }
  return out;
}

TEST(FuzzReplay, TraditionalReaderGivesClearErrors) {
  const std::string valid = write_traditional(valid_transaction());
  const auto read = [](const std::string& s) { return read_traditional(s); };
  int i = 0;
  for (const std::string& m : mutations(valid, 1234)) expect_clear_outcome(read, m, "mutation " + std::to_string(i++));
  // The XML document fed to the traditional reader, and vice versa, is refused cleanly.
  expect_clear_outcome(read, write_xml(valid_transaction()), "xml to traditional reader");
}

TEST(FuzzReplay, XmlReaderGivesClearErrors) {
  const std::string valid = write_xml(valid_transaction());
  const auto read = [](const std::string& s) { return read_xml(s); };
  int i = 0;
  for (const std::string& m : mutations(valid, 99)) expect_clear_outcome(read, m, "mutation " + std::to_string(i++));
  expect_clear_outcome(read, write_traditional(valid_transaction()), "traditional to xml reader");
}

TEST(FuzzReplay, SharedFilesMutated) {
  const char* env = std::getenv("TUSKPRINT_SHARED");
  const std::filesystem::path dir = env ? std::filesystem::path(env) / "data/ansinist" : std::filesystem::path();
  if (dir.empty() || !std::filesystem::is_directory(dir)) GTEST_SKIP() << "TUSKPRINT_SHARED/data/ansinist not available";
  const auto read = [](const std::string& s) { return read_traditional(s); };
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    const std::string valid = os.str();
    int i = 0;
    for (const std::string& m : mutations(valid.substr(0, 20000), 7))
      expect_clear_outcome(read, m, entry.path().filename().string() + " mutation " + std::to_string(i++));
  }
}

}  // namespace
}  // namespace tuskprint::ansinist
