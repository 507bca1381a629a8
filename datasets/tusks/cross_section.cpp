#include "datasets/tusks/cross_section.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace tuskprint::datasets::tusks {
namespace {

double smoothstep(double e0, double e1, double x) {
  const double t = std::clamp((x - e0) / (e1 - e0), 0.0, 1.0);
  return t * t * (3 - 2 * t);
}

// Placement of the section frame (mm, outline centre at the origin) in the image.
struct Placement {
  double px_per_mm, cx, cy, cos_r, sin_r;
  bool mirrored;
  // image pixel -> section frame (mm)
  cv::Point2d to_section(double x, double y) const {
    const double X = (x - cx) / px_per_mm, Y = (y - cy) / px_per_mm;
    const double u = X * cos_r + Y * sin_r;
    const double v = -X * sin_r + Y * cos_r;
    return {u, mirrored ? -v : v};
  }
  cv::Point2d to_image(double u, double v) const {
    if (mirrored) v = -v;
    const double X = u * cos_r - v * sin_r, Y = u * sin_r + v * cos_r;
    return {cx + X * px_per_mm, cy + Y * px_per_mm};
  }
};

// Outer outline radius factor around the mean, at section-frame angle theta.
double outline_factor(const TuskModel& t, double theta) {
  const double b = t.axis_ratio, phi = theta - t.outline_rotation;
  double f = b / std::sqrt(std::pow(b * std::cos(phi), 2) + std::pow(std::sin(phi), 2)) / std::sqrt(b);
  double wobble = 1.0;
  for (std::size_t i = 0; i < t.outline_harmonics.size(); ++i)
    wobble += t.outline_harmonics[i] * std::cos(double(i + 2) * theta + t.outline_phases[i]);
  return f * wobble;
}

bool inside_sector(const SliceModel& s, double theta) {
  if (!s.sector) return true;
  double d = std::fmod(theta - s.sector_start, 2 * M_PI);
  if (d < 0) d += 2 * M_PI;
  return d <= s.sector_span;
}

// Line-count bands: each family has N lines around the section inside a band of rho;
// N steps up or down where the spacing would drift more than 12 % from its target,
// with a short cross-fade (like the forks of real Schreger lines). The outer zone
// (rho >= kOuterZone) keeps one count, so its lines run regularly up to the cementum as
// in real tusks; there the spacing eases from ~0.85x to 1x the outer spacing.
struct LineBands {
  std::vector<double> edges;  // band k spans [edges[k], edges[k+1])
  std::vector<double> counts;
  static constexpr double kFade = 0.012;
  static constexpr double kOuterZone = 0.78;

  static LineBands build(const TuskModel& t, double cdj_radius_mm) {
    auto target = [&](double rho) {
      const double spacing = t.spacing_inner_mm + (t.spacing_outer_mm - t.spacing_inner_mm) * std::min(rho, 1.0);
      return std::max(3.0, 2 * M_PI * rho * cdj_radius_mm * std::cos(t.angles.half_angle_rad(rho)) / spacing);
    };
    LineBands b;
    double start = 0.03;
    b.edges.push_back(start);
    double n = std::round(target(start + 0.03));
    for (double rho = start; rho < kOuterZone; rho += 0.002) {
      const double ratio = target(rho) / n;
      if ((ratio > 1.12 || ratio < 0.89) && rho - b.edges.back() > 0.03) {
        b.counts.push_back(n);
        b.edges.push_back(rho);
        n = std::round(target(std::min(rho + 0.03, kOuterZone)));
      }
    }
    b.counts.push_back(n);
    b.edges.push_back(kOuterZone);
    b.counts.push_back(std::max(3.0, std::round(target(1.0))));
    b.edges.push_back(10.0);
    return b;
  }
};

// G(rho) = integral of tan(alpha(t)) / t dt: a family-"+" line is theta = c + G(rho), so
// it crosses the radial direction at +alpha(rho) everywhere (see angle_convention.hpp).
struct SpiralTable {
  static constexpr int kSize = 4096;
  static constexpr double kMaxRho = 1.3, kMinRho = 0.01;
  std::vector<double> g;
  explicit SpiralTable(const AngleProfile& p) : g(kSize) {
    const double step = (kMaxRho - kMinRho) / (kSize - 1);
    g[0] = 0.0;
    for (int i = 1; i < kSize; ++i) {
      const double rho = kMinRho + (i - 0.5) * step;
      g[i] = g[i - 1] + std::tan(p.half_angle_rad(rho)) / rho * step;
    }
  }
  double at(double rho) const {
    const double x = (std::clamp(rho, kMinRho, kMaxRho) - kMinRho) / (kMaxRho - kMinRho) * (kSize - 1);
    const int i = std::min(int(x), kSize - 2);
    return g[i] + (g[i + 1] - g[i]) * (x - i);
  }
};

double family_profile(double phase) {
  static const double norm = std::tanh(1.6);
  return std::tanh(1.6 * std::cos(phase)) / norm;
}

double band_tone(const TuskModel& t, double rho_outline) {
  double v = 0.0;
  for (std::size_t i = 0; i < t.band_rho.size(); ++i) {
    const double d = (rho_outline - t.band_rho[i]) / t.band_width[i];
    if (std::abs(d) < 4) v += t.band_height[i] * std::exp(-0.5 * d * d);
  }
  return v;
}

// What the cut face shows at one point of the section frame, before lighting/noise.
struct Material3 {
  double tone;      // multiplies the material colour
  int kind;         // 0 background, 1 dentine/body, 2 cementum/rim, 3 dark pulp dot
};

Placement make_placement(const SliceModel& s, double canvas_w, double canvas_h, double px_per_mm,
                         Rng& rng, double radius_px) {
  Placement p{};
  p.px_per_mm = px_per_mm;
  p.cx = canvas_w / 2 + rng.uniform(-0.04, 0.04) * radius_px;
  p.cy = canvas_h / 2 + rng.uniform(-0.04, 0.04) * radius_px;
  p.cos_r = std::cos(s.rotation);
  p.sin_r = std::sin(s.rotation);
  p.mirrored = s.mirrored;
  return p;
}

void draw_cracks(const TuskModel& t, const SliceModel& s, const Placement& pl, double outer_mm,
                 cv::Mat& darkness) {
  for (const Crack& c : t.cracks) {
    if (s.z_mm < c.z_from || s.z_mm > c.z_to) continue;
    Rng walk(c.seed);
    std::vector<cv::Point> pts;
    double theta = c.theta;
    const int steps = 40;
    for (int i = 0; i <= steps; ++i) {
      const double r = outer_mm * (1.02 - c.depth * i / steps);
      theta += walk.normal(0.0, c.wander) / std::max(0.2, double(steps) * 0.1);
      const cv::Point2d q = pl.to_image(r * std::cos(theta), r * std::sin(theta));
      pts.emplace_back(int(std::lround(q.x)), int(std::lround(q.y)));
    }
    const int w = std::max(1, int(std::lround(c.width_mm * pl.px_per_mm)));
    cv::polylines(darkness, pts, false, cv::Scalar(0.5), w, cv::LINE_AA);
  }
}

void draw_saw_marks(const SliceModel& s, double px_per_mm, cv::Mat& shade) {
  if (s.saw_mark_count == 0) return;
  Rng rng(s.seed ^ 0x5A3);
  const double dx = std::cos(s.saw_direction), dy = std::sin(s.saw_direction);
  const double diag = std::hypot(shade.cols, shade.rows);
  const int w = std::max(1, int(std::lround(0.12 * px_per_mm)));
  for (int i = 0; i < s.saw_mark_count; ++i) {
    const double off = rng.uniform(-0.5, 0.5) * diag;
    const double jitter = rng.normal(0.0, 0.01);
    const double ex = std::cos(s.saw_direction + jitter), ey = std::sin(s.saw_direction + jitter);
    const cv::Point2d c(shade.cols / 2.0 - dy * off, shade.rows / 2.0 + dx * off);
    const double a = s.saw_strength * rng.uniform(0.4, 1.0) * (rng.chance(0.5) ? 1 : -1);
    cv::line(shade, cv::Point(int(c.x - ex * diag), int(c.y - ey * diag)),
             cv::Point(int(c.x + ex * diag), int(c.y + ey * diag)), cv::Scalar(a), w, cv::LINE_AA);
  }
}

void draw_stains(const SliceModel& s, double px_per_mm, cv::Mat& stain) {
  Rng rng(s.seed ^ 0x57A1);
  for (int i = 0; i < s.stain_count; ++i) {
    const cv::Point c(rng.integer(0, stain.cols - 1), rng.integer(0, stain.rows - 1));
    const int r = std::max(2, int(rng.uniform(1.5, 7.0) * px_per_mm));
    cv::circle(stain, c, r, cv::Scalar(rng.uniform(0.05, 0.15)), cv::FILLED, cv::LINE_AA);
  }
  if (s.stain_count > 0) {
    const double sigma = 1.5 * px_per_mm;
    cv::GaussianBlur(stain, stain, cv::Size(), sigma);
  }
}

// ---- interiors --------------------------------------------------------------------

struct IvoryInterior {
  const TuskModel& t;
  const SliceModel& s;
  double cdj_mm;
  SpiralTable spiral;
  LineBands bands;
  double twist;
  IvoryInterior(const TuskModel& tusk, const SliceModel& slice, double cdj)
      // Line counts belong to the tusk, not to the face: the lines are continuous along the
      // tusk, and the slight taper between nearby faces shrinks the pattern without
      // renumbering every line at once (counts from the CDJ radius at z = 0).
      : t(tusk), s(slice), cdj_mm(cdj), spiral(tusk.angles), bands(LineBands::build(tusk, tusk.cdj_radius_mm)),
        twist(tusk.twist_rad_per_mm * slice.z_mm) {}

  // Sum of both families at pattern coordinates (rho, theta), in [-2, 2].
  double pattern(double rho, double theta) const {
    const double g = spiral.at(rho);
    std::size_t k = 0;
    while (k + 1 < bands.counts.size() && rho >= bands.edges[k + 1]) ++k;
    double wk = 1.0;
    std::size_t k2 = k;
    // cross-fade with the neighbouring band near an edge
    if (k + 1 < bands.counts.size() && rho > bands.edges[k + 1] - LineBands::kFade) {
      k2 = k + 1;
      wk = 1.0 - smoothstep(bands.edges[k + 1] - LineBands::kFade, bands.edges[k + 1] + LineBands::kFade, rho);
    } else if (k > 0 && rho < bands.edges[k] + LineBands::kFade) {
      k2 = k - 1;
      wk = smoothstep(bands.edges[k] - LineBands::kFade, bands.edges[k] + LineBands::kFade, rho);
    }
    double v = 0.0;
    for (int f = 0; f < 2; ++f) {
      const double sign = f == 0 ? 1.0 : -1.0;
      const double base = theta - twist - sign * g;
      const double w = t.wiggle[f].value(rho, theta, s.z_mm) + t.family_phase[f];
      v += wk * family_profile(bands.counts[k] * base + w);
      if (k2 != k) v += (1 - wk) * family_profile(bands.counts[k2] * base + w);
    }
    return v;
  }
};

}  // namespace

RenderedSlice render_slice(const TuskModel& t, const SliceModel& s) {
  const double px_per_mm = s.ppi / 25.4;
  const double scale = 1.0 - t.taper_per_mm * s.z_mm;
  const double cdj_mm = t.cdj_radius_mm * scale;
  const bool ivory = t.material != Material::kLookalike;
  const bool rim = ivory ? t.cementum_visible
                         : (t.lookalike == LookalikeKind::kHippo || t.lookalike == LookalikeKind::kResinChevron);
  const double rim_mm = rim ? t.cementum_mm : 0.0;
  const double outer_mm = cdj_mm + rim_mm;
  const int side = int(std::ceil(2 * outer_mm * 1.22 * px_per_mm));
  Rng rng(s.seed);
  const Placement pl = make_placement(s, side, side, px_per_mm, rng, outer_mm * px_per_mm);

  // Look-alike parameters.
  const double lk_period = rng.uniform(0.25, 0.6);        // hippo lamellae (mm)
  const double lk_layer = rng.uniform(0.9, 2.4);           // resin layers / chevron (mm)
  const double lk_axis = rng.uniform(0, M_PI), lk_beta = rng.uniform(25, 65) * M_PI / 180.0;
  const double lk_cavity = t.lookalike == LookalikeKind::kBone ? rng.uniform(0.3, 0.55) : 0.0;
  const bool layered_concentric = rng.chance(0.5);

  IvoryInterior ivory_interior(t, s, cdj_mm);
  const double pulp_x = t.pulp_offset_x * cdj_mm, pulp_y = t.pulp_offset_y * cdj_mm;
  const double pulp_r = t.pulp_radius_frac * cdj_mm * (t.pulp_cavity ? std::max(0.5, 1.0 - 0.01 * s.z_mm) : 1.0);
  const double aa = 1.0 / px_per_mm;  // antialiasing width, mm

  cv::Mat tone(side, side, CV_32F, cv::Scalar(0));
  cv::Mat kind(side, side, CV_8U, cv::Scalar(0));
  cv::Mat alpha(side, side, CV_32F, cv::Scalar(0));  // section coverage 0..1
  for (int y = 0; y < side; ++y) {
    float* tp = tone.ptr<float>(y);
    std::uint8_t* kp = kind.ptr<std::uint8_t>(y);
    float* ap = alpha.ptr<float>(y);
    for (int x = 0; x < side; ++x) {
      const cv::Point2d q = pl.to_section(x, y);
      const double d = std::hypot(q.x, q.y);
      const double th_o = std::atan2(q.y, q.x);
      const double fo = outline_factor(t, th_o);
      const double r_out = outer_mm * fo, r_cdj = cdj_mm * fo;
      if (d > r_out + aa || !inside_sector(s, th_o)) continue;
      if (s.sector && d < s.sector_inner_frac * r_out) continue;
      double cover = std::clamp((r_out + aa - d) / (2 * aa), 0.0, 1.0);
      const double pu = q.x - pulp_x, pv = q.y - pulp_y;
      const double r = std::hypot(pu, pv), th = std::atan2(pv, pu);
      const double rho = r / cdj_mm, rho_o = d / r_cdj;
      double v = 1.0;
      int k = 1;
      if (ivory) {
        if (t.pulp_cavity && r < pulp_r + aa) {
          cover *= std::clamp((r - pulp_r + aa) / (2 * aa), 0.0, 1.0);
          if (cover <= 0) continue;
        }
        if (d > r_cdj) {
          k = 2;
          v = t.cementum_tone * (1.0 + 0.5 * t.tone.value(rho, th, s.z_mm));
        } else {
          const double fade = 0.35 + 0.65 * smoothstep(0.1, 0.8, rho);
          const double contrast = std::max(0.15, 1.0 + t.contrast.value(rho, th, s.z_mm));
          v = 1.0 + t.tone.value(rho, th, s.z_mm) + band_tone(t, rho_o) +
              0.5 * t.line_contrast * fade * contrast * ivory_interior.pattern(rho, th);
          if (!t.pulp_cavity && r < pulp_r) {
            k = 3;
            v = 0.5;
          }
        }
      } else {
        switch (t.lookalike) {
          case LookalikeKind::kBone:
            if (rho_o < lk_cavity) cover *= std::clamp((rho_o - lk_cavity) * r_cdj / aa + 0.5, 0.0, 1.0);
            v = 1.0 + t.tone.value(rho, th, s.z_mm) + 0.02 * std::cos(2 * M_PI * d / 0.35) * smoothstep(0.85, 1.0, rho_o);
            break;
          case LookalikeKind::kHippo:
            if (d > r_cdj) { k = 2; v = 0.8; break; }
            v = 1.0 + t.tone.value(rho, th, s.z_mm) + 0.05 * std::cos(2 * M_PI * d / lk_period + 0.3 * std::sin(3 * th_o)) +
                band_tone(t, rho_o);
            if (std::abs(q.y) < 0.6 && d < 0.6 * r_cdj) v -= 0.15;  // dark central stripe
            break;
          case LookalikeKind::kResinUniform:
            v = 1.0 + 0.5 * t.tone.value(rho, th, s.z_mm);
            break;
          case LookalikeKind::kResinLayered:
            v = 1.0 + 0.05 * family_profile(2 * M_PI * (layered_concentric ? d : q.x * std::cos(lk_axis) + q.y * std::sin(lk_axis)) / lk_layer);
            break;
          case LookalikeKind::kResinChevron: {
            if (d > r_cdj) { k = 2; v = 0.78; break; }
            const double a1 = lk_axis + lk_beta, a2 = lk_axis - lk_beta;
            v = 1.0 + 0.04 * (family_profile(2 * M_PI * (-q.x * std::sin(a1) + q.y * std::cos(a1)) / lk_layer) +
                              family_profile(2 * M_PI * (-q.x * std::sin(a2) + q.y * std::cos(a2)) / lk_layer));
            break;
          }
          case LookalikeKind::kNone: break;
        }
      }
      tp[x] = float(v);
      kp[x] = std::uint8_t(k);
      ap[x] = float(cover);
    }
  }

  // Surface marks.
  cv::Mat darkness(side, side, CV_32F, cv::Scalar(0)), shade(side, side, CV_32F, cv::Scalar(0)),
      stain(side, side, CV_32F, cv::Scalar(0));
  if (ivory) draw_cracks(t, s, pl, outer_mm, darkness);
  if (t.lookalike == LookalikeKind::kBone) {
    // Haversian canals: small dark pits all over the compact bone.
    const int pits = int(6.0 * outer_mm * outer_mm);
    for (int i = 0; i < pits; ++i) {
      const cv::Point c(rng.integer(0, side - 1), rng.integer(0, side - 1));
      cv::circle(darkness, c, std::max(1, int(rng.uniform(0.05, 0.14) * px_per_mm)), cv::Scalar(rng.uniform(0.15, 0.35)),
                 cv::FILLED, cv::LINE_AA);
    }
  }
  if (t.lookalike == LookalikeKind::kResinUniform) {
    for (int i = 0; i < 12; ++i)
      cv::circle(darkness, cv::Point(rng.integer(0, side - 1), rng.integer(0, side - 1)),
                 std::max(1, int(rng.uniform(0.1, 0.5) * px_per_mm)), cv::Scalar(0.3), cv::FILLED, cv::LINE_AA);
  }
  draw_saw_marks(s, px_per_mm, shade);
  draw_stains(s, px_per_mm, stain);

  // Compose colour with lighting.
  cv::Mat img(side, side, CV_32FC3);
  const double ldx = std::cos(s.lighting_direction), ldy = std::sin(s.lighting_direction);
  const double body_bgr[3] = {t.lookalike == LookalikeKind::kBone ? 205.0 : t.colour_bgr[0],
                              t.lookalike == LookalikeKind::kBone ? 218.0 : t.colour_bgr[1],
                              t.lookalike == LookalikeKind::kBone ? 222.0 : t.colour_bgr[2]};
  const double rim_bgr[3] = {body_bgr[0] * 0.88, body_bgr[1] * 0.93, body_bgr[2] * 0.97};
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      const double nx = (x - side / 2.0) / (side / 2.0), ny = (y - side / 2.0) / (side / 2.0);
      const double light = 1.0 + s.lighting * (nx * ldx + ny * ldy) - 0.05 * (nx * nx + ny * ny);
      const float a = alpha.at<float>(y, x);
      cv::Vec3f& px = img.at<cv::Vec3f>(y, x);
      const int k = kind.at<std::uint8_t>(y, x);
      const double v = tone.at<float>(y, x) * (1.0 - darkness.at<float>(y, x)) * (1.0 + shade.at<float>(y, x));
      const double st = stain.at<float>(y, x);
      for (int c = 0; c < 3; ++c) {
        const double base = k == 2 ? rim_bgr[c] : k == 3 ? body_bgr[c] * 0.7 : body_bgr[c];
        const double stained = base * v * (1.0 - st * (c == 0 ? 1.6 : c == 1 ? 1.0 : 0.6));
        px[c] = float(light * (a * stained + (1 - a) * s.background_bgr[c]));
      }
    }
  }
  if (s.blur_mm > 0) cv::GaussianBlur(img, img, cv::Size(), std::max(0.3, s.blur_mm * px_per_mm));
  cv::Mat noise(img.size(), CV_32FC3);
  cv::RNG cvrng(s.seed & 0xFFFFFFFFu);
  cvrng.fill(noise, cv::RNG::NORMAL, 0.0, s.noise_sd);
  img += noise;

  RenderedSlice out;
  img.convertTo(out.bgr, CV_8UC3);
  if (s.jpeg_quality > 0 && s.jpeg_quality < 100) {
    std::vector<std::uint8_t> buf;
    cv::imencode(".jpg", out.bgr, buf, {cv::IMWRITE_JPEG_QUALITY, s.jpeg_quality});
    out.bgr = cv::imdecode(buf, cv::IMREAD_COLOR);
  }
  out.outline_centre_px = {pl.cx, pl.cy};
  out.pattern_centre_px = pl.to_image(pulp_x, pulp_y);
  out.cdj_radius_px = cdj_mm * px_per_mm;
  out.outer_radius_px = outer_mm * px_per_mm;
  if (s.sector) {
    // Crop a cut piece to its bounding box plus a plain margin.
    cv::Mat covered;
    cv::threshold(alpha, covered, 0.01, 255, cv::THRESH_BINARY);
    covered.convertTo(covered, CV_8U);
    cv::Rect box = cv::boundingRect(covered);
    const int margin = int(0.1 * outer_mm * px_per_mm) + 8;
    box.x -= margin; box.y -= margin; box.width += 2 * margin; box.height += 2 * margin;
    box &= cv::Rect(0, 0, side, side);
    out.bgr = out.bgr(box).clone();
    out.outline_centre_px -= cv::Point2d(box.x, box.y);
    out.pattern_centre_px -= cv::Point2d(box.x, box.y);
  }
  return out;
}

}  // namespace tuskprint::datasets::tusks
