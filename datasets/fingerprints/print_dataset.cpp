#include "datasets/fingerprints/print_dataset.hpp"

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/error.hpp"
#include "datasets/fingerprints/impression.hpp"
#include "datasets/fingerprints/latent.hpp"
#include "datasets/fingerprints/master.hpp"

namespace tuskprint::synth {
namespace {
constexpr int kMaxFingers = 100000;
constexpr int kMaxImpressions = 100;
constexpr const char* kCoordinates =
    "pixels at ppi, origin top-left, x right, y down; direction in radians counter-clockwise "
    "from +x with y up, in [0, 2pi); an ending points out of the ridge tip, a bifurcation "
    "from the fork along the stem (as engine/ridge)";

void prepare_output_dir(const std::filesystem::path& dir) {
  TP_CHECK(!dir.empty(), kInvalidArgument, "--out must name an output directory");
  std::error_code ec;
  TP_CHECK(!std::filesystem::exists(dir, ec) || std::filesystem::is_directory(dir, ec), kInvalidArgument,
           "output path '" << dir.string() << "' is not a directory");
  std::filesystem::create_directories(dir, ec);
  TP_CHECK(!ec, kInvalidArgument, "cannot create output directory '" << dir.string() << "': " << ec.message());
  TP_CHECK(std::filesystem::is_directory(dir), kInvalidArgument,
           "output path '" << dir.string() << "' is not a directory");
  const std::filesystem::path probe = dir / ".tuskprint-write-probe";
  {
    std::ofstream out(probe);
    TP_CHECK(out.is_open(), kInvalidArgument, "output directory '" << dir.string() << "' is not writable");
  }
  std::filesystem::remove(probe, ec);
}

void write_png(const std::filesystem::path& path, const cv::Mat& image) {
  const std::vector<int> flags = {cv::IMWRITE_PNG_COMPRESSION, 6};
  bool ok = false;
  try {
    ok = cv::imwrite(path.string(), image, flags);
  } catch (const cv::Exception& e) {
    TP_THROW(kInternal, "cannot write '" << path.string() << "': " << e.what());
  }
  TP_CHECK(ok, kInternal, "cannot write '" << path.string() << "'");
}

void write_json(const std::filesystem::path& path, const nlohmann::json& j) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  TP_CHECK(out.is_open(), kInternal, "cannot write '" << path.string() << "'");
  out << j.dump(1) << "\n";
  TP_CHECK(out.good(), kInternal, "writing '" << path.string() << "' failed");
}

nlohmann::json points_json(const std::vector<cv::Point2d>& points) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& p : points) a.push_back({p.x, p.y});
  return a;
}

const char* type_name(ridge::MinutiaType t) {
  switch (t) {
    case ridge::MinutiaType::kEnding: return "ending";
    case ridge::MinutiaType::kBifurcation: return "bifurcation";
    case ridge::MinutiaType::kOther: return "other";
  }
  return "other";
}
}  // namespace

nlohmann::json minutiae_json(const std::vector<ridge::Minutia>& minutiae) {
  nlohmann::json a = nlohmann::json::array();
  for (const ridge::Minutia& m : minutiae) {
    a.push_back({{"x", m.x}, {"y", m.y}, {"direction", m.direction}, {"type", type_name(m.type)},
                 {"quality", m.quality}});
  }
  return a;
}

std::vector<ridge::Minutia> minutiae_from_json(const nlohmann::json& j) {
  std::vector<ridge::Minutia> out;
  for (const auto& e : j) {
    ridge::Minutia m;
    m.x = e.at("x").get<float>();
    m.y = e.at("y").get<float>();
    m.direction = e.at("direction").get<float>();
    const std::string type = e.at("type").get<std::string>();
    m.type = type == "ending" ? ridge::MinutiaType::kEnding
             : type == "bifurcation" ? ridge::MinutiaType::kBifurcation : ridge::MinutiaType::kOther;
    m.quality = e.value("quality", 1.0f);
    out.push_back(m);
  }
  return out;
}

PrintDatasetSummary write_print_dataset(const PrintDatasetOptions& o, const SynthParams& params) {
  TP_CHECK(o.fingers >= 1 && o.fingers <= kMaxFingers, kInvalidArgument,
           "--fingers must be between 1 and " << kMaxFingers << " (got " << o.fingers << ")");
  TP_CHECK(o.impressions >= 1 && o.impressions <= kMaxImpressions, kInvalidArgument,
           "--impressions must be between 1 and " << kMaxImpressions << " (got " << o.impressions << ")");
  prepare_output_dir(o.out_dir);
  if (o.write_masters) prepare_output_dir(o.out_dir / "masters");

  const int ppi = o.latent ? params.latent.ppi : 500;
  nlohmann::json manifest = {
      {"generator", kGeneratorVersion},
      {"parameters_hash", parameters_hash(params)},
      {"seed", o.seed},
      {"kind", o.latent ? "latent-ivory" : "plain-impression"},
      {"ppi", ppi},
      {"fingers", o.fingers},
      {"impressions_per_finger", o.impressions},
      {"layout", "FVC: <finger>_<impression>.png, fingers from 1, impressions 1..K"},
      {"coordinates", kCoordinates},
  };
  nlohmann::json masters = nlohmann::json::array();
  nlohmann::json images = nlohmann::json::array();
  PrintDatasetSummary summary;
  for (int f = 1; f <= o.fingers; ++f) {
    const auto finger_seed = derive_seed(o.seed, static_cast<std::uint64_t>(f));
    const MasterFingerprint master = generate_master(finger_seed, o.finger_class, params);
    masters.push_back({{"finger", f},
                       {"class", to_string(master.finger_class)},
                       {"canvas", {master.shape.canvas.width, master.shape.canvas.height}},
                       {"cores", points_json(master.class_model.cores)},
                       {"deltas", points_json(master.class_model.deltas)},
                       {"minutiae_count", master.minutiae.size()}});
    if (o.write_masters) {
      write_png(o.out_dir / "masters" / (std::to_string(f) + ".png"), render_master(master));
      write_json(o.out_dir / "masters" / (std::to_string(f) + ".json"),
                 {{"finger", f}, {"ppi", 500}, {"coordinates", kCoordinates},
                  {"minutiae", minutiae_json(master.minutiae)}});
      masters.back()["image"] = "masters/" + std::to_string(f) + ".png";
    }
    for (int k = 1; k <= o.impressions; ++k) {
      const std::string stem = std::to_string(f) + "_" + std::to_string(k);
      const auto seed = derive_seed(o.seed, static_cast<std::uint64_t>(f), static_cast<std::uint64_t>(k));
      nlohmann::json entry = {{"image", stem + ".png"}, {"finger", f}, {"impression", k},
                              {"class", to_string(master.finger_class)}, {"ppi", ppi},
                              {"minutiae_file", stem + ".json"}};
      std::vector<ridge::Minutia> truth;
      cv::Mat image;
      if (o.latent) {
        const LatentLift lift = render_latent(master, seed, params);
        image = lift.image;
        truth = lift.minutiae;
        entry["transform"] = to_json(lift.transform);
        entry["transform"]["scale_to_ppi"] = lift.scale;
        entry["transform"]["scale_convention"] = "photo = 2 * impression + 0.5, then the cylinder projection";
        entry["surface"] = {{"tusk_radius_px", lift.cylinder.radius_px},
                            {"axis_centre", {lift.cylinder.centre.x, lift.cylinder.centre.y}},
                            {"axis_angle_rad", lift.cylinder.axis_angle},
                            {"light_tilt_rad", lift.cylinder.light_tilt},
                            {"schreger_angle_deg", lift.schreger_angle_deg},
                            {"schreger_period_px", params.latent.schreger_period_px}};
        entry["area_fraction"] = lift.area_fraction;
        entry["smudged"] = lift.smudged;
      } else {
        const Impression imp = render_impression(master, seed, params);
        image = imp.image;
        truth = imp.minutiae;
        entry["transform"] = to_json(imp.transform);
        entry["skin"] = to_string(imp.skin);
        entry["threshold_bias"] = imp.threshold_bias;
      }
      entry["width"] = image.cols;
      entry["height"] = image.rows;
      entry["minutiae_count"] = truth.size();
      write_png(o.out_dir / (stem + ".png"), image);
      write_json(o.out_dir / (stem + ".json"),
                 {{"image", stem + ".png"}, {"finger", f}, {"impression", k}, {"ppi", ppi},
                  {"width", image.cols}, {"height", image.rows}, {"coordinates", kCoordinates},
                  {"minutiae", minutiae_json(truth)}});
      images.push_back(std::move(entry));
      ++summary.images;
      summary.ground_truth_minutiae += static_cast<long long>(truth.size());
    }
    if (o.progress) o.progress(f, o.fingers);
  }
  manifest["masters"] = std::move(masters);
  manifest["images"] = std::move(images);
  write_json(o.out_dir / "manifest.json", manifest);
  return summary;
}

}  // namespace tuskprint::synth
