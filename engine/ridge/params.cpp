#include "ridge/params.hpp"

#include <iomanip>
#include <sstream>

#include "core/sha256.hpp"

namespace tuskprint::ridge {
namespace {

class Serialiser {
 public:
  explicit Serialiser(std::string group) : group_(std::move(group)) {}
  Serialiser& operator()(const char* name, double value) {
    os_ << group_ << '.' << name << '=' << std::setprecision(17) << value << '\n';
    return *this;
  }
  std::string str() const { return os_.str(); }

 private:
  std::string group_;
  std::ostringstream os_;
};

}  // namespace

const Params& default_params() {
  static const Params params{};
  return params;
}

std::string canonical_serialisation(const Params& p) {
  std::string out;
  {
    const auto& g = p.normalisation;
    out += Serialiser("normalisation")("min_ppi", g.min_ppi)("max_ppi", g.max_ppi)(
                "min_side", g.min_side)("max_pixels", g.max_pixels)
               .str();
  }
  {
    const auto& g = p.gradient;
    out += Serialiser("gradient")("cell", g.cell)("presmooth_sigma", g.presmooth_sigma).str();
  }
  {
    const auto& g = p.segmentation;
    out += Serialiser("segmentation")("feature_sigma", g.feature_sigma)(
               "min_contrast", g.min_contrast)("relative_contrast", g.relative_contrast)(
               "min_coherence", g.min_coherence)("close_radius", g.close_radius)(
               "open_radius", g.open_radius)("min_component_fraction", g.min_component_fraction)(
               "erode_px", g.erode_px)("min_valid_frequency_share", g.min_valid_frequency_share)(
               "frequency_density_sigma", g.frequency_density_sigma)
               .str();
  }
  {
    const auto& g = p.orientation;
    out += Serialiser("orientation")("fine_sigma", g.fine_sigma)("coarse_sigma", g.coarse_sigma)
               .str();
  }
  {
    const auto& g = p.frequency;
    out += Serialiser("frequency")("block", g.block)("window_length", g.window_length)(
               "window_width", g.window_width)("min_period", g.min_period)(
               "max_period", g.max_period)("min_autocorrelation", g.min_autocorrelation)(
               "min_trough_correlation", g.min_trough_correlation)(
               "fill_sigma", g.fill_sigma)("default_period", g.default_period)
               .str();
  }
  {
    const auto& g = p.enhancement;
    out += Serialiser("enhancement")("orientation_bins", g.orientation_bins)(
               "period_step", g.period_step)("radius", g.radius)("sigma_across", g.sigma_across)(
               "sigma_along", g.sigma_along)("mean_window", g.mean_window)
               .str();
  }
  {
    const auto& g = p.binarisation;
    out += Serialiser("binarisation")("min_ridge_area", g.min_ridge_area)(
               "min_valley_area", g.min_valley_area)
               .str();
  }
  {
    const auto& g = p.minutiae;
    out += Serialiser("minutiae")("merge_distance", g.merge_distance)(
               "direction_trace", g.direction_trace)(
               "max_field_disagreement", g.max_field_disagreement)
               .str();
  }
  {
    const auto& g = p.filters;
    out += Serialiser("filters")("spur_length", g.spur_length)(
               "fragment_length", g.fragment_length)("bridge_length", g.bridge_length)(
               "bridge_min_angle", g.bridge_min_angle)("lake_length", g.lake_length)(
               "gap_length", g.gap_length)("gap_max_angle", g.gap_max_angle)(
               "repair_rounds", g.repair_rounds)("border_margin", g.border_margin)(
               "edge_facing_distance", g.edge_facing_distance)(
               "pair_distance", g.pair_distance)("cluster_radius", g.cluster_radius)(
               "cluster_count", g.cluster_count)("min_coherence", g.min_coherence)
               .str();
  }
  {
    const auto& g = p.quality;
    out += Serialiser("quality")("min_minutiae", g.min_minutiae)(
               "min_foreground_px", g.min_foreground_px)(
               "min_mean_coherence", g.min_mean_coherence)("full_area_px", g.full_area_px)(
               "full_minutiae", g.full_minutiae)
               .str();
  }
  out += Serialiser("output")("mask_block", p.output.mask_block).str();
  return out;
}

std::string parameters_hash(const Params& params) {
  return sha256_hex(canonical_serialisation(params));
}

}  // namespace tuskprint::ridge
