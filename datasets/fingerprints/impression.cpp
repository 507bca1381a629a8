#include "datasets/fingerprints/impression.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "datasets/fingerprints/noise_fields.hpp"
#include "datasets/fingerprints/resample.hpp"

namespace tuskprint::synth {
namespace {

// How hard each pixel is pressed: 1 well inside the contact ellipse, fading to 0 over
// `softness` px at its edge; 0 off the finger.
cv::Mat1f contact_pressure(const ImpressionTransform& t, const cv::Mat1f& finger, bool partial,
                           const ImpressionParams& p) {
  cv::Mat1f pressure(finger.size(), 0.0f);
  const double mean_radius = 0.5 * (t.contact_rx + t.contact_ry);
  for (int y = 0; y < finger.rows; ++y) {
    for (int x = 0; x < finger.cols; ++x) {
      if (finger(y, x) < 0.5f) continue;
      const double inside = partial ? (1.0 - t.contact_radius(cv::Point2d(x, y))) * mean_radius : 1e9;
      pressure(y, x) = static_cast<float>(std::clamp(inside / p.contact_edge_softness, 0.0, 1.0));
    }
  }
  return pressure;
}

SkinCondition draw_skin(Rng& rng, const ImpressionParams& p) {
  const double u = rng.uniform();
  if (u < p.dry_probability) return SkinCondition::kDry;
  if (u < p.dry_probability + p.wet_probability) return SkinCondition::kWet;
  return SkinCondition::kNormal;
}

// Ink laid by the ridges: the smooth ridge profile thresholded at a bias set by skin and
// pressure (positive = thinner ridges), with dry blots and wet merging.
cv::Mat1f ridge_ink(const cv::Mat1f& profile, const cv::Mat1f& pressure, SkinCondition skin,
                    double bias, Rng& rng, const ImpressionParams& p) {
  cv::Mat1f t(profile.size());
  for (int y = 0; y < profile.rows; ++y) {
    for (int x = 0; x < profile.cols; ++x) {
      const double local_bias = bias + p.edge_thinning * (1.0 - pressure(y, x));
      t(y, x) = static_cast<float>(0.5 + (profile(y, x) - local_bias) / 0.6);
    }
  }
  cv::Mat1f ink = smoothstep(t);
  if (skin == SkinCondition::kDry) {
    // Dry skin touches in patches: blots of no contact break the ridges.
    const cv::Mat1f blots = smooth_noise(profile.size(), 3.5, rng);
    const float cut = static_cast<float>(1.0 - 2.6 * p.dry_break_density);  // ~ tail share
    for (int y = 0; y < ink.rows; ++y) {
      for (int x = 0; x < ink.cols; ++x) {
        if (blots(y, x) > cut) ink(y, x) *= std::clamp(1.0f - 3.0f * (blots(y, x) - cut), 0.0f, 1.0f);
      }
    }
  } else if (skin == SkinCondition::kWet) {
    // Wet skin: moisture fills the valleys next to ridges.
    cv::dilate(ink, ink, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(3, 3)));
    cv::GaussianBlur(ink, ink, cv::Size(), 1.0, 1.0, cv::BORDER_REPLICATE);
  }
  return ink.mul(pressure);
}

// Uneven pressure and skin: ink varies in patches of a few millimetres; creases (folds,
// scars) leave thin white lines across the ridges.
void skin_blemishes(cv::Mat1f& ink, Rng& rng, const ImpressionParams& p) {
  const cv::Mat1f patches = smooth_noise(ink.size(), 60, rng);
  for (int y = 0; y < ink.rows; ++y) {
    for (int x = 0; x < ink.cols; ++x) {
      ink(y, x) *= std::clamp(1.0f + static_cast<float>(p.uneven_pressure) * patches(y, x), 0.2f, 1.3f);
    }
  }
  const int creases = rng.uniform_int(0, static_cast<int>(p.creases_max));
  for (int i = 0; i < creases; ++i) {
    const cv::Point2d c{rng.uniform(0.2, 0.8) * ink.cols, rng.uniform(0.2, 0.8) * ink.rows};
    const double angle = rng.uniform(0, 3.14159265358979);
    const double half = rng.uniform(40, 160);
    const cv::Point2d d(std::cos(angle) * half, std::sin(angle) * half);
    cv::line(ink, c - d, c + d, cv::Scalar(0.0), rng.uniform_int(2, 3), cv::LINE_8);
  }
  cv::min(ink, 1.0f, ink);
}

// What the sensor records: light background with a gradient, dark ink, optics blur, noise.
cv::Mat1b sensor_image(const cv::Mat1f& ink, bool realistic, Rng& rng, const ImpressionParams& p) {
  const double background = realistic ? rng.uniform(p.background_min, p.background_max) : 240.0;
  const double contrast = realistic ? rng.uniform(p.contrast_min, p.contrast_max) : 180.0;
  const double gx = realistic ? rng.normal(0, 0.02) : 0.0, gy = realistic ? rng.normal(0, 0.02) : 0.0;
  cv::Mat1f grey(ink.size());
  const double cx = 0.5 * ink.cols, cy = 0.5 * ink.rows;
  for (int y = 0; y < ink.rows; ++y) {
    for (int x = 0; x < ink.cols; ++x) {
      grey(y, x) = static_cast<float>(background + gx * (x - cx) + gy * (y - cy) - contrast * ink(y, x));
    }
  }
  if (realistic) {
    const double blur = rng.uniform(p.blur_sigma_min, p.blur_sigma_max);
    cv::GaussianBlur(grey, grey, cv::Size(), blur, blur, cv::BORDER_REPLICATE);
    add_gaussian_noise(grey, rng.uniform(p.noise_sd_min, p.noise_sd_max), rng);
  }
  cv::Mat1b out;
  grey.convertTo(out, CV_8U);
  return out;
}
}  // namespace

std::string_view to_string(SkinCondition skin) {
  switch (skin) {
    case SkinCondition::kNormal: return "normal";
    case SkinCondition::kDry: return "dry";
    case SkinCondition::kWet: return "wet";
  }
  return "normal";
}

Impression render_impression(const MasterFingerprint& master, std::uint64_t seed,
                             const SynthParams& params, const ImpressionOptions& options) {
  const ImpressionParams& p = params.impression;
  Rng rng(seed);
  Rng placement_rng = rng.fork(1), skin_rng = rng.fork(2), sensor_rng = rng.fork(3);
  const cv::Size size(p.width, p.height);

  Impression imp;
  imp.transform = draw_impression_transform(master.shape.centre, size, placement_rng, p, options.distortion);
  const auto inverse = [&](cv::Point2d q) { return imp.transform.unmap(q); };
  const cv::Mat1f profile = resample(master.ridges, size, inverse);
  cv::Mat1f foreground;
  master.foreground.convertTo(foreground, CV_32F, 1.0 / 255);
  const cv::Mat1f finger = resample(foreground, size, inverse);
  const cv::Mat1f pressure = contact_pressure(imp.transform, finger, options.partial_contact, p);
  imp.contact = pressure > 0.0f;

  imp.skin = options.skin_and_noise ? draw_skin(skin_rng, p) : SkinCondition::kNormal;
  imp.threshold_bias = 0;
  if (options.skin_and_noise) {
    imp.threshold_bias = skin_rng.normal(0, p.pressure_sd) +
                         (imp.skin == SkinCondition::kDry ? p.dry_bias
                          : imp.skin == SkinCondition::kWet ? p.wet_bias : 0.0);
  }
  cv::Mat1f ink = ridge_ink(profile, pressure, imp.skin, imp.threshold_bias, skin_rng, p);
  if (options.skin_and_noise) skin_blemishes(ink, skin_rng, p);
  imp.image = sensor_image(ink, options.skin_and_noise, sensor_rng, p);
  imp.minutiae = map_minutiae(master.minutiae, [&](cv::Point2d m) { return imp.transform.map(m); },
                              imp.contact);
  return imp;
}

}  // namespace tuskprint::synth
