#include "schreger/cdj.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "schreger/median.hpp"

namespace tuskprint::schreger {
namespace {

constexpr double kStepMm = 0.05;  // profile sampling along the radius
constexpr int kFootprint = 6;     // columns either side that a column's line energy sees (Sobel 1 + blur 4, + 1)
// A sector whose median line energy is more than this many times the median sector's (among
// the sectors that see a start of line texture) is left out of the section's mean profile.
// In the faces of set Y where such a sector hid the junction its level was 4.3-69 times the
// median of all sectors (its energy concentrated within a few mm of the edge, where it was up
// to 200 times). 4 is just under the smallest of these; no other factor was tried.
constexpr double kOutlierEnergyLevel = 4.0;

struct Profiles {
  std::vector<double> tone, energy, chroma;
  int columns = 0;
};

double sample(const cv::Mat& m, double row, int col) {
  const int i = int(std::floor(row));
  if (i < 0 || i + 1 >= m.rows) return 0;
  const double f = row - i;
  return (1 - f) * m.at<float>(i, col) + f * m.at<float>(i + 1, col);
}

double median_range(const std::vector<double>& v, double from_mm, double to_mm) {
  const int a = std::max(0, int(from_mm / kStepMm)), b = std::min(int(v.size()) - 1, int(to_mm / kStepMm));
  if (b < a) return 0;
  std::vector<double> part(v.begin() + a, v.begin() + b + 1);
  std::nth_element(part.begin(), part.begin() + part.size() / 2, part.end());
  return part[part.size() / 2];
}

double range_of(const std::vector<double>& v, double from_mm, double to_mm) {
  const int a = std::max(0, int(from_mm / kStepMm)), b = std::min(int(v.size()) - 1, int(to_mm / kStepMm));
  if (b <= a) return 0;
  const auto [lo, hi] = std::minmax_element(v.begin() + a, v.begin() + b + 1);
  return *hi - *lo;
}

double ratio_of(const std::vector<double>& v, double from_mm, double to_mm) {
  const int a = std::max(0, int(from_mm / kStepMm)), b = std::min(int(v.size()) - 1, int(to_mm / kStepMm));
  if (b <= a) return 1;
  const auto [lo, hi] = std::minmax_element(v.begin() + a, v.begin() + b + 1);
  return (*hi + 1e-3) / (*lo + 1e-3);
}

struct Step {
  double depth = 0, score = -1, energy_ratio = 0, tone_step = 0, chroma_step = 0;
  bool candidate = false;  // false: no depth scored above the floor (the profile shows no junction)
};

// The junction of `s` passes `factor` times one of the minimum line-energy ratio, tone step
// or hue step (1: evident, 2: strong).
bool clear_by(const Step& s, const SchregerParams& p, double factor) {
  return s.energy_ratio >= factor * p.cdj_min_energy_ratio || s.tone_step >= factor * p.cdj_min_tone_step ||
         s.chroma_step >= factor * p.cdj_min_chroma_step;
}

// Two junction depths agree within 0.4 mm.
bool same_depth(double a, double b) { return std::abs(a - b) <= 0.4; }

// The best junction depth within [from_mm, to_mm] (the whole range by default). Searching
// the whole range, a depth must score above -1 to be a candidate; within a given window
// (a depth the sectors voted for) the best one is taken whatever its score, and judged after.
Step best_step(const Profiles& pr, const SchregerParams& p, double from_mm = -1, double to_mm = -1) {
  Step best;
  if (from_mm >= 0) best.score = -std::numeric_limits<double>::infinity();
  const double lo = from_mm < 0 ? p.cdj_min_mm : std::max(p.cdj_min_mm, from_mm);
  const double hi = to_mm < 0 ? p.cdj_max_mm : std::min(p.cdj_max_mm, to_mm);
  for (double d = lo; d <= hi + 1e-9; d += kStepMm) {
    // The first few tenths of a millimetre carry the blurred outer edge itself; the
    // cementum side starts after it (and medians ignore what is left of it).
    const double out_from = std::min(0.5, 0.45 * d), out_to = std::max(out_from + kStepMm, d - 0.12);
    const double in_from = d + 0.35, in_to = d + 1.5;
    const double e_out = median_range(pr.energy, out_from, out_to), e_in = median_range(pr.energy, in_from, in_to);
    const double t_out = median_range(pr.tone, out_from, out_to), t_in = median_range(pr.tone, d + 0.12, d + 1.0);
    const double c_out = median_range(pr.chroma, out_from, out_to), c_in = median_range(pr.chroma, d + 0.12, d + 1.0);
    const double ratio = (e_in + 1e-3) / (e_out + 1e-3);
    const double tone = std::abs(t_in - t_out) / std::max(1.0, t_in);
    const double chroma = std::abs(c_in - c_out);
    // Cementum is homogeneous: a candidate whose "cementum" side already contains the
    // start of the line texture, or a tone or hue change, is penalised.
    const double spread = range_of(pr.chroma, out_from, out_to) / 0.02 +
                          range_of(pr.tone, out_from, out_to) / std::max(1.0, 0.05 * t_in) +
                          std::log2(std::max(1.0, ratio_of(pr.energy, out_from, out_to)));
    const double score = std::log2(std::max(ratio, 1e-3)) + tone / 0.05 + chroma / 0.02 - spread;
    if (score > best.score) best = {d, score, ratio, tone, chroma, true};
  }
  return best;
}

// The section's mean profile over the sectors, leaving out a sector whose line energy is
// many times the others': one sector crossing a crack, a saw mark or a cut piece's sawn
// corner can carry far more line energy than the rest, and in the mean its own step then
// decides where the junction is judged. It still votes on the depth. "The others" are the
// sectors that see a start of line texture at all (a candidate step), and only from three of them on:
// under a strong lighting gradient the bright side's sectors are clipped (line energy ~0),
// and if they set the typical level every sector that sees the pattern would be left out.
Profiles mean_profile(const std::vector<const Profiles*>& sectors, const std::vector<Step>& steps, int samples) {
  std::vector<double> levels, seen;
  for (std::size_t i = 0; i < sectors.size(); ++i) {
    levels.push_back(median_of(sectors[i]->energy));
    if (steps[i].candidate) seen.push_back(levels.back());
  }
  const double limit = seen.size() >= 3 ? kOutlierEnergyLevel * median_of(seen) : std::numeric_limits<double>::infinity();
  Profiles all;
  all.tone.assign(samples, 0.0), all.energy.assign(samples, 0.0), all.chroma.assign(samples, 0.0);
  for (std::size_t i = 0; i < sectors.size(); ++i) {
    if (levels[i] > limit) continue;
    for (int k = 0; k < samples; ++k)
      all.tone[k] += sectors[i]->tone[k], all.energy[k] += sectors[i]->energy[k], all.chroma[k] += sectors[i]->chroma[k];
    ++all.columns;
  }
  for (int k = 0; k < samples; ++k)
    all.tone[k] /= all.columns, all.energy[k] /= all.columns, all.chroma[k] /= all.columns;
  return all;
}

}  // namespace

CdjEstimate find_cdj(const PolarImage& polar, const SchregerParams& p) {
  CdjEstimate out;
  const int cols = polar.grey.cols;
  const int samples = int((p.cdj_max_mm + 2.0) / kStepMm);
  const int sectors = p.cdj_sectors;
  std::vector<Profiles> per_sector(sectors);
  for (auto& s : per_sector) s.tone.assign(samples, 0.0), s.energy.assign(samples, 0.0), s.chroma.assign(samples, 0.0);
  for (int j = 0; j < cols; ++j) {
    if (!polar.arc_column[j]) continue;
    Profiles& s = per_sector[std::min(sectors - 1, j * sectors / cols)];
    const double edge = polar.edge_radius[j];
    bool complete = true;
    std::vector<double> t(samples), e(samples), ch(samples);
    for (int k = 0; k < samples && complete; ++k) {
      const double r = edge - k * kStepMm * polar.px_per_mm;
      const double row = polar.row_at_radius(r);
      // The line energy is a tangential derivative, smoothed over a few columns: a column
      // whose neighbours leave the section (next to a cut piece's sawn side) carries the
      // section-background step in it and is left out.
      const int i = std::max(0, int(row));
      if (row < 1 || !polar.filled.at<std::uint8_t>(i, j) || !polar.filled.at<std::uint8_t>(i, (j + kFootprint) % cols) ||
          !polar.filled.at<std::uint8_t>(i, (j + cols - kFootprint) % cols))
        complete = false;
      t[k] = sample(polar.grey, row, j);
      e[k] = sample(polar.texture, row, j);
      ch[k] = sample(polar.chroma, row, j);
    }
    if (!complete) continue;
    for (int k = 0; k < samples; ++k) s.tone[k] += t[k], s.energy[k] += e[k], s.chroma[k] += ch[k];
    ++s.columns;
  }
  std::vector<Step> sector_steps;
  std::vector<const Profiles*> measured_sectors;
  for (auto& s : per_sector) {
    if (s.columns < 3) continue;
    for (int k = 0; k < samples; ++k) s.tone[k] /= s.columns, s.energy[k] /= s.columns, s.chroma[k] /= s.columns;
    measured_sectors.push_back(&s);
    sector_steps.push_back(best_step(s, p));
  }
  // Stand-in radius: the outer edge.
  out.cdj_radius.assign(polar.edge_radius.begin(), polar.edge_radius.end());
  if (measured_sectors.empty()) return out;
  const Profiles all = mean_profile(measured_sectors, sector_steps, samples);
  // Sectors whose profile has no candidate depth at all saw no junction: they abstain, from
  // the vote (their placeholder depth, 0, would agree among themselves and outvote the real
  // junction) and from the agreement fractions below.
  auto agreement = [&](double depth) {
    int agree = 0;
    for (const Step& s : sector_steps)
      if (s.candidate && same_depth(s.depth, depth)) ++agree;
    return agree;
  };
  Step global = best_step(all, p);
  // When the mean profile's best depth is not the one most sectors see (a weak junction at
  // low resolution, where one spurious step in the mean wins), take the depth most sectors
  // agree on and judge the mean profile there.
  double voted = global.depth;
  int voted_agree = agreement(global.depth);
  for (const Step& s : sector_steps)
    if (s.candidate && agreement(s.depth) > voted_agree) voted = s.depth, voted_agree = agreement(s.depth);
  if (voted != global.depth) global = best_step(all, p, voted - 0.4, voted + 0.4);
  out.profile_tone = all.tone, out.profile_energy = all.energy, out.profile_chroma = all.chroma;
  out.profile_step_mm = kStepMm;
  const int agree = agreement(global.depth);
  out.depth_mm = global.depth;
  out.energy_ratio = global.energy_ratio;
  out.tone_step = global.tone_step;
  out.chroma_step = global.chroma_step;
  // Sectors with no candidate depth at all abstain: their profile shows no start of line
  // texture anywhere (under a strong lighting gradient the bright side is clipped, tone ~250
  // and line energy ~0, so no junction can show there). The agreement is over the others.
  const int seeing = int(std::count_if(sector_steps.begin(), sector_steps.end(),
                                       [](const Step& s) { return s.candidate; }));
  out.sector_agreement = seeing > 0 ? double(agree) / double(seeing) : 0.0;
  // A clear junction needs less support from the angular sectors (under a strong
  // lighting gradient the dark side's sectors are noisy).
  const bool evident = clear_by(global, p, 1), strong = clear_by(global, p, 2);
  // Under a strong lighting gradient the dark side's sectors see no junction of their own
  // and pick noise: sectors without an evident step abstain, when enough others have one.
  int voters = 0, voters_agree = 0;
  for (const Step& s : sector_steps)
    if (clear_by(s, p, 1)) ++voters, voters_agree += same_depth(s.depth, global.depth);
  const bool voted_for = voters >= p.cdj_min_voters_frac * double(seeing) &&
                         voters_agree >= p.cdj_min_agreement * voters;
  // Where the section has no cementum, the outer edge's blur with the background leaves a hue
  // step just inside the edge (line energy and tone hardly change there): no junction. (The
  // depths are summed in steps of 0.05 mm: 0.6 is not under 0.6.)
  const bool edge_blur = global.energy_ratio < p.cdj_min_energy_ratio && global.tone_step < p.cdj_min_tone_step &&
                         global.depth < p.cdj_hue_only_min_mm - 1e-9;
  out.found = !edge_blur && agree >= p.cdj_min_agreeing_sectors && ((evident && (out.sector_agreement >= p.cdj_min_agreement || voted_for)) ||
                             (strong && out.sector_agreement >= p.cdj_min_agreement_strong));
  double sum = 0;
  int n = 0;
  for (int j = 0; j < cols; ++j) {
    if (polar.edge_radius[j] <= 0) continue;
    if (out.found) out.cdj_radius[j] = float(polar.edge_radius[j] - global.depth * polar.px_per_mm);
    if (polar.arc_column[j]) sum += out.cdj_radius[j], ++n;
  }
  out.mean_radius = n > 0 ? sum / n : 0;
  return out;
}

}  // namespace tuskprint::schreger
