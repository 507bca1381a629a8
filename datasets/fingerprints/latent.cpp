#include "datasets/fingerprints/latent.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <opencv2/imgproc.hpp>

#include "datasets/fingerprints/noise_fields.hpp"
#include "datasets/fingerprints/resample.hpp"

namespace tuskprint::synth {
namespace {
constexpr double kPi = std::numbers::pi;
constexpr double kMmPerInch = 25.4;

cv::Point2d axis_of(double angle) { return {std::cos(angle), std::sin(angle)}; }
cv::Point2d normal_of(double angle) { return {-std::sin(angle), std::cos(angle)}; }

// Places the deposit: an ellipse covering `fraction` of the finger around a point well
// inside it, with the photograph centred on it.
void place_deposit(LatentLift& lift, const MasterFingerprint& master, cv::Size photo, Rng& rng,
                   const LatentParams& lp) {
  ImpressionTransform& t = lift.transform;
  const double fraction = rng.uniform(lp.area_fraction_min, lp.area_fraction_max);
  cv::Point2d anchor;
  do {
    anchor = master.shape.centre + cv::Point2d{rng.uniform(-0.5, 0.5) * master.shape.half_width,
                                               rng.uniform(-0.5, 0.5) * master.shape.half_height_top};
  } while (master.shape.normalised_radius(anchor) > 0.55);
  const cv::Point2d centre_500(0.5 * photo.width / lift.scale, 0.5 * photo.height / lift.scale);
  t.impression_pivot += centre_500 - t.rigid(anchor);
  t.contact_centre = centre_500;
  const double elongation = rng.uniform(1.0, 1.8);
  const double area = fraction * master.shape.area();
  t.contact_rx = std::sqrt(area / (kPi * elongation));
  t.contact_ry = elongation * t.contact_rx;
  t.contact_angle = rng.uniform(0, kPi);
}

// Soft deposit mask in photograph pixels: the ellipse with a ragged edge, on the finger.
cv::Mat1f deposit_region(const LatentLift& lift, const cv::Mat1f& finger, Rng& rng) {
  const cv::Mat1f ragged = smooth_noise(finger.size(), 50, rng);
  cv::Mat1f region(finger.size(), 0.0f);
  const double mean_radius = 0.5 * (lift.transform.contact_rx + lift.transform.contact_ry);
  for (int y = 0; y < region.rows; ++y) {
    for (int x = 0; x < region.cols; ++x) {
      if (finger(y, x) < 0.5f) continue;
      const cv::Point2d flat = lift.cylinder.unproject(cv::Point2d(x, y));
      const cv::Point2d q = (flat - cv::Point2d(0.5, 0.5)) / lift.scale;
      const double rho = lift.transform.contact_radius(q) + 0.12 * ragged(y, x);
      region(y, x) = static_cast<float>(std::clamp((1.0 - rho) * mean_radius / 5.0, 0.0, 1.0));
    }
  }
  return region;
}

// Powder smeared along one direction over a blob of the mark.
cv::Mat1f smudge(const cv::Mat1f& ink, const cv::Mat1f& region, Rng& rng, bool* applied,
                 cv::Mat1f* smudge_mask, const LatentParams& lp) {
  *smudge_mask = cv::Mat1f(ink.size(), 0.0f);
  *applied = rng.bernoulli(lp.smudge_probability);
  if (!*applied) return ink;
  std::vector<cv::Point> inside;
  cv::findNonZero(region > 0.9f, inside);
  if (inside.empty()) {
    *applied = false;
    return ink;
  }
  const cv::Point c = inside[static_cast<std::size_t>(rng.uniform_int(0, static_cast<int>(inside.size()) - 1))];
  const double radius = rng.uniform(50, 130);
  const double angle = rng.uniform(0, kPi);
  const int length = rng.uniform_int(11, 25);
  cv::Mat1f kernel(length, length, 0.0f);
  const cv::Point2d dir = axis_of(angle) * (0.5 * (length - 1));
  const cv::Point2d mid(0.5 * (length - 1), 0.5 * (length - 1));
  cv::line(kernel, mid - dir, mid + dir, cv::Scalar(1.0), 1, cv::LINE_8);
  kernel /= cv::sum(kernel)[0];
  cv::Mat1f smeared;
  cv::filter2D(ink, smeared, CV_32F, kernel, cv::Point(-1, -1), 0, cv::BORDER_REPLICATE);
  cv::Mat1f out = ink.clone();
  for (int y = 0; y < ink.rows; ++y) {
    for (int x = 0; x < ink.cols; ++x) {
      const double d = std::hypot(x - c.x, y - c.y) / radius;
      if (d >= 1.0) continue;
      const float w = static_cast<float>(0.5 + 0.5 * std::cos(kPi * d));
      (*smudge_mask)(y, x) = w;
      out(y, x) = (1 - w) * ink(y, x) + w * (0.7f * smeared(y, x) + 0.2f);
    }
  }
  return out;
}

// What the finger left: sweat and oil residue along the ridges is dotted and broken, and
// the powder develops it unevenly.
cv::Mat1f residue(const cv::Mat1f& ink, Rng& rng, const LatentParams& lp) {
  const double keep = rng.uniform(lp.residue_keep_min, lp.residue_keep_max);
  // Threshold for a unit normal field that keeps about `keep` of it (linear fit of the
  // normal quantile over 0.5..0.9).
  const double cut = -(keep - 0.5) * 3.2;
  const cv::Mat1f dots = smooth_noise(ink.size(), lp.residue_scale, rng);
  const cv::Mat1f patches = smooth_noise(ink.size(), 80, rng);
  cv::Mat1f out(ink.size());
  for (int y = 0; y < ink.rows; ++y) {
    for (int x = 0; x < ink.cols; ++x) {
      const float present = std::clamp(static_cast<float>((dots(y, x) - cut) / 0.6 + 0.5), 0.0f, 1.0f);
      const float developed = std::clamp(1.0f - static_cast<float>(lp.development_patchiness) *
                                                    std::max(0.0f, -patches(y, x)), 0.1f, 1.0f);
      out(y, x) = ink(y, x) * present * developed;
    }
  }
  return out;
}

// Grainy powder: how much of each pixel the black powder covers (0..1).
cv::Mat1f powder_deposit(const cv::Mat1f& ink, const cv::Mat1f& region, Rng& rng, const LatentParams& lp) {
  const double opacity = rng.uniform(lp.powder_opacity_min, lp.powder_opacity_max);
  const double fog = rng.uniform(0.03, 0.1);  // powder clinging to the furrows too
  const cv::Mat1f grain = smooth_noise(ink.size(), lp.powder_grain_scale, rng);
  cv::Mat1f deposit(ink.size());
  for (int y = 0; y < ink.rows; ++y) {
    for (int x = 0; x < ink.cols; ++x) {
      const double g = std::clamp(0.55 + 0.45 * grain(y, x), 0.0, 1.0);
      deposit(y, x) = static_cast<float>(region(y, x) * (opacity * ink(y, x) + fog) * g);
    }
  }
  // Stray grains everywhere on the surface.
  const int stray = rng.poisson(lp.powder_speckle_density * ink.rows * ink.cols);
  for (int i = 0; i < stray; ++i) {
    const cv::Point p{rng.uniform_int(0, ink.cols - 1), rng.uniform_int(0, ink.rows - 1)};
    const int r = rng.uniform_int(0, 2);
    cv::circle(deposit, p, r, cv::Scalar(rng.uniform(0.3, 0.9)), -1, cv::LINE_8);
  }
  return deposit;
}

// Luminance of the bare ivory: cylinder shading, mottling, pores and Schreger-like lines.
cv::Mat1f ivory_surface(cv::Size size, const TuskCylinder& cylinder, Rng& rng, double schreger_angle,
                        const LatentParams& lp) {
  const double base = rng.uniform(200, 225);
  const cv::Mat1f mottling = smooth_noise(size, 90, rng);
  const double schreger_amp = rng.uniform(lp.schreger_amplitude_min, lp.schreger_amplitude_max);
  const double bisector = rng.uniform(0, kPi);
  const cv::Point2d n1 = axis_of(bisector + 0.5 * schreger_angle);
  const cv::Point2d n2 = axis_of(bisector - 0.5 * schreger_angle);
  const double phase1 = rng.uniform(0, 2 * kPi), phase2 = rng.uniform(0, 2 * kPi);
  const double bend = rng.uniform(-1.0, 1.0) / 4000.0;  // the lines are gentle curves
  const double period = lp.schreger_period_px;
  cv::Mat1f lum(size);
  for (int y = 0; y < size.height; ++y) {
    for (int x = 0; x < size.width; ++x) {
      const cv::Point2d p(x - 0.5 * size.width, y - 0.5 * size.height);
      const double along1 = -p.x * n1.y + p.y * n1.x, along2 = -p.x * n2.y + p.y * n2.x;
      const double f1 = 0.5 + 0.5 * std::cos(2 * kPi * (p.dot(n1) + bend * along1 * along1) / period + phase1);
      const double f2 = 0.5 + 0.5 * std::cos(2 * kPi * (p.dot(n2) + bend * along2 * along2) / period + phase2);
      const double lines = schreger_amp * (f1 * f1 * f1 + f2 * f2 * f2);
      lum(y, x) = static_cast<float>((base + 7 * mottling(y, x) - lines) * cylinder.shading(cv::Point2d(x, y)));
    }
  }
  const int pores = rng.poisson(lp.pore_density * size.area());
  for (int i = 0; i < pores; ++i) {
    const cv::Point p{rng.uniform_int(0, size.width - 1), rng.uniform_int(0, size.height - 1)};
    const int r = rng.uniform_int(1, 2);
    const double dark = rng.uniform(15, 45);
    cv::circle(lum, p, r, cv::Scalar(lum(p.y, p.x) - dark), -1, cv::LINE_8);
  }
  return lum;
}

cv::Mat3b photograph(const cv::Mat1f& surface, const cv::Mat1f& deposit, Rng& rng, const LatentParams& lp) {
  // Ivory is cream: blue and green a little below red. Powder is near-black.
  const double tint_b = rng.uniform(0.78, 0.84), tint_g = rng.uniform(0.9, 0.95);
  const double powder = rng.uniform(25, 50);
  cv::Mat1f lum = surface.mul(1.0f - deposit) + deposit * static_cast<float>(powder);
  const double blur = rng.uniform(lp.camera_blur_min, lp.camera_blur_max);
  cv::GaussianBlur(lum, lum, cv::Size(), blur, blur, cv::BORDER_REPLICATE);
  add_gaussian_noise(lum, lp.noise_sd, rng);
  cv::Mat3b out(surface.size());
  for (int y = 0; y < lum.rows; ++y) {
    for (int x = 0; x < lum.cols; ++x) {
      const double v = lum(y, x);
      const double d = deposit(y, x);  // powder is neutral grey: no tint where it covers
      const double tb = tint_b + (1 - tint_b) * d, tg = tint_g + (1 - tint_g) * d;
      out(y, x) = cv::Vec3b(cv::saturate_cast<unsigned char>(v * tb), cv::saturate_cast<unsigned char>(v * tg),
                            cv::saturate_cast<unsigned char>(v));
    }
  }
  return out;
}
}  // namespace

cv::Point2d TuskCylinder::project(cv::Point2d flat) const {
  const cv::Point2d d = flat - centre;
  const double along = d.dot(axis_of(axis_angle)), across = d.dot(normal_of(axis_angle));
  const double seen_across = radius_px * std::sin(across / radius_px);
  return centre + along * axis_of(axis_angle) + seen_across * normal_of(axis_angle);
}

cv::Point2d TuskCylinder::unproject(cv::Point2d seen) const {
  const cv::Point2d d = seen - centre;
  const double along = d.dot(axis_of(axis_angle)), across = d.dot(normal_of(axis_angle));
  const double flat_across = radius_px * std::asin(std::clamp(across / radius_px, -1.0, 1.0));
  return centre + along * axis_of(axis_angle) + flat_across * normal_of(axis_angle);
}

double TuskCylinder::shading(cv::Point2d seen) const {
  const double across = (seen - centre).dot(normal_of(axis_angle));
  const double surface_angle = std::asin(std::clamp(across / radius_px, -1.0, 1.0));
  return 0.45 + 0.55 * std::max(0.0, std::cos(surface_angle - light_tilt));
}

cv::Point2d LatentLift::map(cv::Point2d master) const {
  return cylinder.project(transform.map(master) * scale + cv::Point2d(0.5, 0.5));
}

cv::Point2d LatentLift::unmap(cv::Point2d seen) const {
  return transform.unmap((cylinder.unproject(seen) - cv::Point2d(0.5, 0.5)) / scale);
}

LatentLift render_latent(const MasterFingerprint& master, std::uint64_t seed, const SynthParams& params) {
  const LatentParams& lp = params.latent;
  Rng rng(seed);
  Rng placement_rng = rng.fork(1), deposit_rng = rng.fork(2), surface_rng = rng.fork(3),
      camera_rng = rng.fork(4);
  LatentLift lift;
  lift.ppi = lp.ppi;
  lift.scale = lp.ppi / 500.0;
  const cv::Size photo(lp.width, lp.height);
  const cv::Size frame_500(static_cast<int>(photo.width / lift.scale), static_cast<int>(photo.height / lift.scale));
  lift.transform = draw_impression_transform(master.shape.centre, frame_500, placement_rng, params.impression, true);
  place_deposit(lift, master, photo, placement_rng, lp);
  lift.cylinder.centre = cv::Point2d(0.5 * photo.width, 0.5 * photo.height) +
                         cv::Point2d{placement_rng.normal(0, 80), placement_rng.normal(0, 80)};
  lift.cylinder.axis_angle = placement_rng.uniform(0, kPi);
  lift.cylinder.radius_px = placement_rng.uniform(lp.tusk_radius_mm_min, lp.tusk_radius_mm_max) * lp.ppi / kMmPerInch;
  lift.cylinder.light_tilt = placement_rng.uniform(-0.5, 0.5);
  lift.schreger_angle_deg = placement_rng.uniform(lp.schreger_angle_min_deg, lp.schreger_angle_max_deg);

  const auto inverse = [&](cv::Point2d seen) { return lift.unmap(seen); };
  const cv::Mat1f profile = resample(master.ridges, photo, inverse);
  cv::Mat1f foreground;
  master.foreground.convertTo(foreground, CV_32F, 1.0 / 255);
  const cv::Mat1f finger = resample(foreground, photo, inverse);
  const cv::Mat1f region = deposit_region(lift, finger, deposit_rng);
  lift.region = region > 0.5f;
  lift.area_fraction = cv::countNonZero(lift.region) / (lift.scale * lift.scale) / master.shape.area();

  cv::Mat1f t = (profile - static_cast<float>(deposit_rng.uniform(-0.1, 0.3))) / 0.6f + 0.5f;
  cv::Mat1f smudge_mask;
  const cv::Mat1f ink = smudge(residue(smoothstep(t), deposit_rng, lp), region, deposit_rng,
                               &lift.smudged, &smudge_mask, lp);
  const cv::Mat1f deposit = powder_deposit(ink, region, deposit_rng, lp);
  const cv::Mat1f surface = ivory_surface(photo, lift.cylinder, surface_rng, lift.schreger_angle_deg * kPi / 180, lp);
  lift.image = photograph(surface, deposit, camera_rng, lp);

  lift.minutiae = map_minutiae(master.minutiae, [&](cv::Point2d m) { return lift.map(m); }, lift.region);
  for (ridge::Minutia& m : lift.minutiae) {
    // Under the smudge a minutia is not readable: its quality says so.
    const int x = std::clamp(static_cast<int>(std::lround(m.x)), 0, photo.width - 1);
    const int y = std::clamp(static_cast<int>(std::lround(m.y)), 0, photo.height - 1);
    m.quality = 1.0f - 0.8f * smudge_mask(y, x);
  }
  return lift;
}

}  // namespace tuskprint::synth
