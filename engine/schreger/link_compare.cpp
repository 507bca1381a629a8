#include "schreger/link_compare.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace tuskprint::schreger {
namespace {

// The mirrored registration mirrors b when b has the mirrored transforms, else a.
bool mirrors_b(const LinkFace& b) { return !b.pattern_mirrored.values.empty(); }

}  // namespace

LinkFace prepare_link_face(const LinkFeatures& f, const SchregerParams& p, bool with_mirrored) {
  LinkFace face;
  face.descriptor = f.descriptor;
  face.pattern_map = f.pattern_map;
  face.outline_mm = f.outline_mm;
  if (!f.pattern_map.empty()) {
    face.pattern_plain = pattern_spectra(f.pattern_map, false, p);
    if (with_mirrored) face.pattern_mirrored = pattern_spectra(f.pattern_map, true, p);
  }
  return face;
}

void add_mirrored_transforms(LinkFace& face, const SchregerParams& p) {
  if (face.pattern_map.empty() || !face.pattern_mirrored.values.empty()) return;
  face.pattern_mirrored = pattern_spectra(face.pattern_map, true, p);
}

double link_score(const PatternAlignment& mirrored, const PatternAlignment& plain, double descriptor_distance,
                  double pulp_log_ratio, const SchregerParams& p) {
  const double m = std::max(0.0, mirrored.score), pl = std::max(0.0, plain.score);
  // The handedness bonus only rewards; a face of the same tusk with the same handedness (two
  // cuts away) keeps its plain correlation and so still ranks above other tusks.
  return std::max(m, pl) + p.pattern_handedness_weight * std::max(0.0, m - pl) -
         descriptor_distance / p.pattern_distance_scale -
         p.pulp_depth_weight * std::min(std::abs(pulp_log_ratio), p.pulp_depth_cap);
}

LinkComparison compare_link_faces(const LinkFace& a, const LinkFace& b, const SchregerParams& p) {
  LinkComparison c;
  c.descriptor_distance = descriptor_distance(a.descriptor, b.descriptor);
  const double pulp_a = pulp_radius_mm(a.descriptor, p), pulp_b = pulp_radius_mm(b.descriptor, p);
  if (pulp_a > 0 && pulp_b > 0) c.pulp_log_ratio = std::abs(std::log(pulp_a / pulp_b));
  if (!a.pattern_plain.values.empty() && !b.pattern_plain.values.empty()) {
    TP_CHECK(!a.pattern_mirrored.values.empty() || !b.pattern_mirrored.values.empty(), kInvalidArgument,
             "neither face was prepared with its mirrored pattern map");
    // Mirroring one face or the other gives the same correlation (the rotation changes sign).
    c.mirrored = mirrors_b(b) ? pattern_alignment(a.pattern_plain, b.pattern_mirrored, p)
                              : pattern_alignment(a.pattern_mirrored, b.pattern_plain, p);
    c.plain = pattern_alignment(a.pattern_plain, b.pattern_plain, p);
  }
  c.handedness = c.mirrored.score - c.plain.score;
  const bool outlines = !a.outline_mm.empty() && a.outline_mm.size() == b.outline_mm.size();
  const MirroredFace mirrored_face = mirrors_b(b) ? MirroredFace::kB : MirroredFace::kA;
  if (outlines) {
    if (c.mirrored.score > -1)
      c.outline_mirrored = outline_agreement(a.outline_mm, b.outline_mm, c.mirrored.col_shift, mirrored_face,
                                             p.link_shape_min_columns);
    if (c.plain.score > -1)
      c.outline_plain = outline_agreement(a.outline_mm, b.outline_mm, c.plain.col_shift, MirroredFace::kNeither,
                                          p.link_shape_min_columns);
    if (c.outline_mirrored.columns > 0 && c.outline_plain.columns > 0) {
      const double ln = std::log((c.outline_plain.residual_mm + p.link_shape_floor_mm) /
                                 (c.outline_mirrored.residual_mm + p.link_shape_floor_mm));
      c.handedness += p.link_shape_handedness_weight * std::clamp(ln, -p.link_shape_log_cap, p.link_shape_log_cap);
    }
  }
  c.mirrored_fits_better = c.handedness > 0;
  // The size step is the fit of the registration read as the right one, over enough arc.
  const SizeStep& taken = c.mirrored_fits_better ? c.outline_mirrored : c.outline_plain;
  if (taken.columns >= p.link_size_min_columns) c.size = taken;
  c.score = link_score(c.mirrored, c.plain, c.descriptor_distance, c.pulp_log_ratio, p);
  return c;
}

double link_score(const LinkFeatures& a, const LinkFeatures& b, const SchregerParams& p) {
  return compare_link_faces(prepare_link_face(a, p), prepare_link_face(b, p), p).score;
}

LinkFeatures link_features_from_profile(const v1::SchregerProfile& pr, const SchregerParams& p) {
  TP_CHECK(pr.extractor_version() == kExtractorVersion && pr.parameters_hash() == p.hash(), kFailedPrecondition,
           "Schreger profile was measured by " << pr.extractor_version() << " with parameters "
                                               << pr.parameters_hash().substr(0, 12) << "; this engine is "
                                               << kExtractorVersion << " with " << p.hash().substr(0, 12)
                                               << ": re-measure the scan");
  TP_CHECK(pr.link_descriptor_size() == kLinkDescriptorSize, kInvalidArgument,
           "Schreger profile has " << pr.link_descriptor_size() << " link descriptor values, expected "
                                   << kLinkDescriptorSize);
  LinkFeatures f;
  f.descriptor.assign(pr.link_descriptor().begin(), pr.link_descriptor().end());
  f.polar_map = polar_map_from_values(std::vector<float>(pr.link_polar_map().begin(), pr.link_polar_map().end()),
                                      int(pr.link_polar_rows()), int(pr.link_polar_cols()));
  if (pr.link_ring_map_size() > 0)
    f.ring_map = polar_map_from_values(std::vector<float>(pr.link_ring_map().begin(), pr.link_ring_map().end()),
                                       int(pr.link_ring_rows()), int(pr.link_ring_cols()));
  TP_CHECK(!pr.link_pattern_map().empty(), kInvalidArgument, "Schreger profile has no pattern map");
  TP_CHECK(int(pr.link_pattern_rows()) == p.pattern_rows && int(pr.link_pattern_cols()) == p.pattern_cols,
           kInvalidArgument,
           "Schreger profile's pattern map is " << pr.link_pattern_rows() << " x " << pr.link_pattern_cols()
                                                << ", expected " << p.pattern_rows << " x " << p.pattern_cols);
  f.pattern_map = unpack_pattern_map(pr.link_pattern_map(), int(pr.link_pattern_rows()), int(pr.link_pattern_cols()));
  f.pattern_centre_found = pr.link_pattern_centre_found();
  TP_CHECK(pr.link_outline_mm_size() == 0 || pr.link_outline_mm_size() == p.pattern_cols, kInvalidArgument,
           "Schreger profile's outline has " << pr.link_outline_mm_size() << " columns, expected " << p.pattern_cols);
  f.outline_mm.assign(pr.link_outline_mm().begin(), pr.link_outline_mm().end());
  return f;
}

}  // namespace tuskprint::schreger
