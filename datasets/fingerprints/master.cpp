#include "datasets/fingerprints/master.hpp"

#include <opencv2/imgproc.hpp>

#include "core/transparency.hpp"
#include "datasets/fingerprints/ridge_growth.hpp"
#include "datasets/fingerprints/ridge_period.hpp"
#include "datasets/fingerprints/skeleton_minutiae.hpp"

namespace tuskprint::synth {
namespace {
SkeletonMinutiaeOptions master_minutiae_options(const MasterParams& p) {
  SkeletonMinutiaeOptions o;
  o.border_margin = p.minutia_border_margin;
  o.cluster_distance = p.minutia_cluster_distance;
  o.spur_max_length = p.spur_max_length;
  o.trace_length = p.direction_trace_length;
  return o;
}

cv::Mat1f smooth_ridge_profile(const cv::Mat1f& clipped, double sigma) {
  cv::Mat1f profile;
  cv::GaussianBlur(clipped, profile, cv::Size(), sigma, sigma, cv::BORDER_REPLICATE);
  return profile;
}

cv::Mat1b binarise(const cv::Mat1f& profile) {
  cv::Mat1b binary;
  cv::compare(profile, 0.0f, binary, cv::CMP_GT);
  return binary;
}
}  // namespace

MasterFingerprint generate_master(std::uint64_t seed, std::optional<FingerClass> finger_class,
                                  const SynthParams& params) {
  const MasterParams& p = params.master;
  Rng rng(seed);
  Rng class_rng = rng.fork(1), shape_rng = rng.fork(2), model_rng = rng.fork(3),
      period_rng = rng.fork(4), growth_rng = rng.fork(5);
  MasterFingerprint m;
  m.seed = seed;
  m.finger_class = finger_class ? *finger_class : draw_finger_class(class_rng);
  m.shape = draw_finger_shape(shape_rng, p);
  m.foreground = finger_foreground(m.shape);
  m.class_model = draw_class_model(m.finger_class, m.shape, model_rng, p);
  m.orientation = orientation_field(m.class_model, m.shape.canvas);
  if (transparency::enabled()) transparency::emit("synth-orientation-field", m.orientation);
  m.period = ridge_period_map(m.shape.canvas, period_rng, p);
  if (transparency::enabled()) transparency::emit("synth-ridge-period", m.period);
  const cv::Mat1f clipped = grow_ridges(m.orientation, m.period, m.foreground, growth_rng, p,
                                        &m.growth_iterations);
  m.ridges = smooth_ridge_profile(clipped, p.ridge_profile_blur_sigma);
  m.ridges.setTo(0.0f, m.foreground == 0);
  if (transparency::enabled()) transparency::emit("synth-master-ridges", m.ridges);
  m.skeleton = ridge_skeleton(binarise(m.ridges));
  if (transparency::enabled()) transparency::emit("synth-master-skeleton", m.skeleton);
  m.minutiae = skeleton_minutiae(m.skeleton, m.foreground, master_minutiae_options(p), m.orientation);
  return m;
}

cv::Mat1b render_master(const MasterFingerprint& master) {
  cv::Mat1f grey = 255.0f - 110.0f * (master.ridges + 1.0f);
  grey.setTo(255.0f, master.foreground == 0);
  cv::Mat1b out;
  grey.convertTo(out, CV_8U);
  return out;
}

}  // namespace tuskprint::synth
