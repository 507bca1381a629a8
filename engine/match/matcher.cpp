#include "match/matcher.hpp"

#include <cmath>

#include "core/error.hpp"
#include "match/cylinder_similarity.hpp"

namespace tuskprint::match {
namespace {

constexpr int kParametersPpi = 500;

std::vector<ridge::Minutia> at_parameters_resolution(const ridge::FingerTemplate& finger) {
  TP_CHECK(finger.ppi > 0, kInvalidArgument, "template ppi must be positive, got " << finger.ppi);
  std::vector<ridge::Minutia> scaled = finger.minutiae;
  if (finger.ppi != kParametersPpi) {
    const float factor = static_cast<float>(kParametersPpi) / static_cast<float>(finger.ppi);
    for (auto& m : scaled) {
      m.x *= factor;
      m.y *= factor;
    }
  }
  return scaled;
}

// The template's block mask, rescaled to 500 ppi (block side scaled; the grid is kept).
ForegroundMask foreground_of(const ridge::FingerTemplate& finger) {
  ForegroundMask mask;
  if (finger.mask_block_size <= 0 || finger.foreground_mask.empty() || finger.width <= 0 ||
      finger.height <= 0) {
    return mask;
  }
  mask.cols = (finger.width + finger.mask_block_size - 1) / finger.mask_block_size;
  mask.rows = (finger.height + finger.mask_block_size - 1) / finger.mask_block_size;
  TP_CHECK(finger.foreground_mask.size() == static_cast<std::size_t>(mask.rows) * mask.cols,
           kInvalidArgument,
           "template foreground mask has " << finger.foreground_mask.size() << " blocks, expected "
                                           << mask.rows << " x " << mask.cols << " for a " << finger.width
                                           << " x " << finger.height << " template with "
                                           << finger.mask_block_size << " px blocks");
  // Blocks are whole pixels at the template's ppi; at 500 ppi they may be fractional,
  // which contains() handles by scaling the block side.
  mask.block = finger.mask_block_size;
  mask.cells = finger.foreground_mask;
  return mask;
}

// `mask` dilated by `margin` px (square structuring element, in whole blocks).
ForegroundMask grown(const ForegroundMask& mask, float margin) {
  const int r = static_cast<int>(std::lround(margin / static_cast<float>(mask.block)));
  if (r <= 0) return mask;
  ForegroundMask out = mask;
  // Separable max filter: rows, then columns.
  std::vector<std::uint8_t> horizontal(mask.cells.size(), 0);
  for (int y = 0; y < mask.rows; ++y) {
    for (int x = 0; x < mask.cols; ++x) {
      std::uint8_t v = 0;
      for (int d = std::max(0, x - r); d <= std::min(mask.cols - 1, x + r) && !v; ++d) {
        v = mask.cells[static_cast<std::size_t>(y) * mask.cols + d];
      }
      horizontal[static_cast<std::size_t>(y) * mask.cols + x] = v;
    }
  }
  for (int y = 0; y < mask.rows; ++y) {
    for (int x = 0; x < mask.cols; ++x) {
      std::uint8_t v = 0;
      for (int d = std::max(0, y - r); d <= std::min(mask.rows - 1, y + r) && !v; ++d) {
        v = horizontal[static_cast<std::size_t>(d) * mask.cols + x];
      }
      out.cells[static_cast<std::size_t>(y) * mask.cols + x] = v;
    }
  }
  return out;
}

CylinderForm form_of(Mode mode) {
  return mode == Mode::kLssBit || mode == Mode::kLssrBit ? CylinderForm::kBit : CylinderForm::kFloat;
}

Consolidation consolidation_of(Mode mode) {
  return mode == Mode::kLssFloat || mode == Mode::kLssBit ? Consolidation::kLss
                                                          : Consolidation::kLssRelaxed;
}

}  // namespace

const char* to_string(Mode mode) {
  switch (mode) {
    case Mode::kLssFloat: return "lss-float";
    case Mode::kLssBit: return "lss-bit";
    case Mode::kLssrFloat: return "lssr-float";
    case Mode::kLssrBit: return "lssr-bit";
  }
  return "unknown";
}

Mode parse_mode(const std::string& text) {
  for (Mode m : {Mode::kLssFloat, Mode::kLssBit, Mode::kLssrFloat, Mode::kLssrBit}) {
    if (text == to_string(m)) return m;
  }
  TP_THROW(kInvalidArgument, "unknown match mode '" << text
                                                    << "' (expected lss-float, lss-bit, lssr-float or lssr-bit)");
}

MatchTemplate::MatchTemplate(const ridge::FingerTemplate& finger, const MccParameters& parameters)
    : parameters_(parameters),
      parameters_hash_(match::parameters_hash(parameters)),
      minutiae_(finger.minutiae),
      cylinders_() {
  const ForegroundMask foreground = foreground_of(finger);
  if (foreground.empty()) {
    cylinders_ = make_cylinders(at_parameters_resolution(finger), parameters);
    return;
  }
  // Bring the mask to 500 ppi by resampling blocks at the 500 ppi block grid, then grow it.
  const double factor = static_cast<double>(kParametersPpi) / finger.ppi;
  ForegroundMask scaled;
  scaled.block = foreground.block;
  scaled.cols = static_cast<int>(std::ceil(foreground.cols * factor));
  scaled.rows = static_cast<int>(std::ceil(foreground.rows * factor));
  scaled.cells.resize(static_cast<std::size_t>(scaled.rows) * scaled.cols);
  for (int r = 0; r < scaled.rows; ++r) {
    for (int c = 0; c < scaled.cols; ++c) {
      const float x = static_cast<float>((c + 0.5) * scaled.block / factor);
      const float y = static_cast<float>((r + 0.5) * scaled.block / factor);
      scaled.cells[static_cast<std::size_t>(r) * scaled.cols + c] = foreground.contains(x, y) ? 1 : 0;
    }
  }
  const ForegroundMask region = grown(scaled, parameters.foreground_margin);
  cylinders_ = make_cylinders(at_parameters_resolution(finger), parameters, &region);
}

MatchDetails match_details(const MatchTemplate& probe, const MatchTemplate& gallery, Mode mode) {
  TP_CHECK(probe.parameters_hash() == gallery.parameters_hash(), kFailedPrecondition,
           "probe and gallery cylinders were built with different MCC parameters ("
               << probe.parameters_hash().substr(0, 12) << " vs "
               << gallery.parameters_hash().substr(0, 12) << ")");
  const CylinderSet& a = probe.cylinders();
  const CylinderSet& b = gallery.cylinders();
  const std::vector<float> gamma = local_similarity_matrix(a, b, form_of(mode), probe.parameters());
  const GlobalScore global = global_score(a, b, gamma, consolidation_of(mode), probe.parameters());
  MatchDetails details;
  details.score = global.score;
  details.mode = mode;
  details.probe_cylinders = a.size();
  details.gallery_cylinders = b.size();
  details.pairs_required = global.pairs_required;
  details.consolidated_score = global.consolidated_score;
  details.paired_minutiae = global.paired_minutiae;
  details.consistency_factor = global.consistency_factor;
  for (const CylinderPair& pair : global.pairs) {
    details.pairs.push_back({a.minutia[pair.cylinder_a], b.minutia[pair.cylinder_b],
                             pair.local_similarity, pair.relaxed_similarity});
  }
  return details;
}

double score(const MatchTemplate& probe, const MatchTemplate& gallery, Mode mode) {
  return match_details(probe, gallery, mode).score;
}

}  // namespace tuskprint::match
