// Scores the minutiae extractor (engine/ridge) against a synthetic set's ground truth:
//   synth_extractor_truth DIR [--max-images N]
// DIR is the output of `tuskprint synth prints`. Each image is extracted at its manifest
// ppi; an extracted minutia matches a true one within 12 px (at 500 ppi) and 30 degrees,
// one-to-one, nearest first. Prints precision, recall and counts as JSON.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numbers>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "datasets/fingerprints/print_dataset.hpp"
#include "image/decode.hpp"
#include "ridge/extract.hpp"

namespace {
using tuskprint::ridge::Minutia;

nlohmann::json read_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  return nlohmann::json::parse(in);
}

double angle_gap(double a, double b) {
  double d = std::fmod(std::abs(a - b), 2 * std::numbers::pi);
  return std::min(d, 2 * std::numbers::pi - d);
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: synth_extractor_truth DIR [--max-images N]\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::size_t max_images = 1u << 30;
  if (argc >= 4 && std::string(argv[2]) == "--max-images") max_images = std::stoul(argv[3]);
  try {
    const auto manifest = read_json(dir / "manifest.json");
    long long truth_total = 0, found_total = 0, matched = 0, matched_position_only = 0;
    std::size_t images = 0;
    for (const auto& entry : manifest.at("images")) {
      if (images >= max_images) break;
      const int gt_ppi = entry.at("ppi").get<int>();
      const auto truth_json = read_json(dir / entry.at("minutiae_file").get<std::string>());
      std::vector<Minutia> truth = tuskprint::synth::minutiae_from_json(truth_json.at("minutiae"));
      const auto decoded = tuskprint::image::load_file((dir / entry.at("image").get<std::string>()).string());
      const auto tpl = tuskprint::ridge::extract(decoded.grey, gt_ppi);
      // Ground truth into the template's working resolution (pixel centres aligned).
      const double s = static_cast<double>(tpl.ppi) / gt_ppi;
      for (Minutia& m : truth) {
        m.x = static_cast<float>((m.x + 0.5) * s - 0.5);
        m.y = static_cast<float>((m.y + 0.5) * s - 0.5);
      }
      const double tolerance = 12.0 * tpl.ppi / 500.0;
      std::vector<bool> used(tpl.minutiae.size(), false), used_pos(tpl.minutiae.size(), false);
      for (const Minutia& t : truth) {
        int best = -1, best_pos = -1;
        double best_d = tolerance, best_pos_d = tolerance;
        for (std::size_t i = 0; i < tpl.minutiae.size(); ++i) {
          const double d = std::hypot(tpl.minutiae[i].x - t.x, tpl.minutiae[i].y - t.y);
          if (!used_pos[i] && d <= best_pos_d) {
            best_pos_d = d;
            best_pos = static_cast<int>(i);
          }
          if (!used[i] && d <= best_d && angle_gap(tpl.minutiae[i].direction, t.direction) <= std::numbers::pi / 6) {
            best_d = d;
            best = static_cast<int>(i);
          }
        }
        if (best >= 0) {
          used[static_cast<std::size_t>(best)] = true;
          ++matched;
        }
        if (best_pos >= 0) {
          used_pos[static_cast<std::size_t>(best_pos)] = true;
          ++matched_position_only;
        }
      }
      truth_total += static_cast<long long>(truth.size());
      found_total += static_cast<long long>(tpl.minutiae.size());
      ++images;
    }
    const auto ratio = [](long long a, long long b) { return b > 0 ? static_cast<double>(a) / static_cast<double>(b) : 0.0; };
    std::cout << nlohmann::json{{"images", images},
                                {"kind", manifest.value("kind", "")},
                                {"true_minutiae", truth_total},
                                {"extracted_minutiae", found_total},
                                {"matched", matched},
                                {"recall", ratio(matched, truth_total)},
                                {"precision", ratio(matched, found_total)},
                                {"recall_position_only", ratio(matched_position_only, truth_total)},
                                {"precision_position_only", ratio(matched_position_only, found_total)},
                                {"tolerance", "12 px at 500 ppi and 30 degrees, one-to-one"}}
                     .dump(2)
              << "\n";
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
