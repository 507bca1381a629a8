// `tuskprint extract IMAGE`: friction-ridge minutiae extraction from one scan.
#include <chrono>
#include <iostream>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "cli/command_registry.hpp"
#include "core/error.hpp"
#include "image/decode.hpp"
#include "ridge/extract.hpp"
#include "ridge/overlay.hpp"
#include "ridge/template_io.hpp"

namespace tuskprint::cli {
namespace {

struct ExtractOptions {
  std::string image;
  int ppi = 500;
  std::string output;
  bool json = false;
  std::string overlay;
  std::string dump_dir;
};

const char* type_name(ridge::MinutiaType type) {
  switch (type) {
    case ridge::MinutiaType::kEnding: return "ending";
    case ridge::MinutiaType::kBifurcation: return "bifurcation";
    case ridge::MinutiaType::kOther: return "other";
  }
  return "other";
}

int run_extract(const ExtractOptions& o) {
  const image::DecodedImage decoded = image::load_file(o.image);
  ridge::FingerTemplate t;
  double extract_ms = 0;
  {
    std::unique_ptr<ridge::StageDump> dump;
    if (!o.dump_dir.empty()) dump = std::make_unique<ridge::StageDump>(o.dump_dir);
    const auto start = std::chrono::steady_clock::now();
    t = ridge::extract(decoded.grey, o.ppi);
    extract_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  }
  if (!o.output.empty()) ridge::save_template(t, o.output);
  if (!o.overlay.empty()) {
    const cv::Mat overlay = ridge::render_overlay(decoded.grey, o.ppi, t);
    TP_CHECK(cv::imwrite(o.overlay, overlay), kInternal, "cannot write overlay '" << o.overlay << "'");
  }
  if (o.json) {
    nlohmann::ordered_json minutiae = nlohmann::ordered_json::array();
    for (const ridge::Minutia& m : t.minutiae)
      minutiae.push_back({{"x", m.x}, {"y", m.y}, {"direction", m.direction},
                          {"type", type_name(m.type)}, {"quality", m.quality}});
    const nlohmann::ordered_json out = {{"image", o.image},
                                {"source_ppi", t.source_ppi},
                                {"ppi", t.ppi},
                                {"width", t.width},
                                {"height", t.height},
                                {"minutiae_count", t.minutiae.size()},
                                {"quality", t.quality},
                                {"too_poor_to_search", t.too_poor_to_search},
                                {"quality_reason", t.quality_reason},
                                {"extract_ms", extract_ms},
                                {"extractor_version", t.extractor_version},
                                {"parameters_hash", t.parameters_hash},
                                {"minutiae", minutiae}};
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << o.image << ": " << t.minutiae.size() << " minutiae, quality " << t.quality
              << (t.too_poor_to_search ? " (too poor to search: " + t.quality_reason + ")" : "")
              << ", " << extract_ms << " ms\n";
  }
  return 0;
}

const bool registered = register_commands("extract", [](CLI::App& app, Context& ctx) {
  auto options = std::make_shared<ExtractOptions>();
  auto* cmd = app.add_subcommand("extract", "Extract friction-ridge minutiae from a fingerprint image");
  cmd->add_option("IMAGE", options->image, "Fingerprint image (PNG, TIFF, JPEG, JPEG 2000, BMP)")
      ->required();
  cmd->add_option("--ppi", options->ppi, "Scan resolution in pixels per inch (250..1000)")
      ->capture_default_str();
  cmd->add_option("-o,--output", options->output, "Write the template to this file (.tpl)");
  cmd->add_flag("--json", options->json,
                "Print minutiae count, quality, too_poor_to_search, extract_ms and the minutiae as JSON");
  cmd->add_option("--overlay", options->overlay, "Write the minutiae drawn over the print (PNG)");
  cmd->add_option("--dump-stages", options->dump_dir,
                  "Write every pipeline stage (transparency keys) into this existing directory");
  cmd->callback([&ctx, options] { ctx.exit_code = run_guarded([&] { return run_extract(*options); }); });
});

}  // namespace
}  // namespace tuskprint::cli
