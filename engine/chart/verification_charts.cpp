#include "chart/verification_charts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "core/error.hpp"

namespace tuskprint::chart {
namespace {

// ---- tuning constants ----
constexpr double kDetUpper = 0.5;          // DET axes end at 50 % error, as NIST plots do
constexpr double kDetUpperWide = 0.95;     // ... unless the EER itself is beyond 30 %
constexpr double kWideEer = 0.3;
constexpr int kHistogramBins = 50;         // shared bins across the observed score range
constexpr double kLogScoreSpan = 20;       // positive scores spanning this ratio get a log axis
constexpr int kDetWidth = 900, kDetHeight = 860;       // near-square: the diagonal is 45 deg
constexpr int kScoresWidth = 1000, kScoresHeight = 680;

std::string percent(double fraction) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, fraction != 0 && fraction < 0.001 ? "%.3f %%" : "%.2f %%",
                100 * fraction);
  return buffer;
}

std::string fixed(double value, int decimals) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

// Decimals enough to tell thresholds apart on this score scale.
int score_decimals(double max_score) {
  return max_score <= 0 ? 3 : std::clamp(3 - static_cast<int>(std::floor(std::log10(max_score))), 2, 6);
}

// The decade at or below `value`, at least 1e-6.
double decade_floor(double value) {
  return std::max(1e-6, std::pow(10.0, std::floor(std::log10(value) + 1e-9)));
}

void check_scores(const std::vector<double>& scores, const char* which) {
  TP_CHECK(!scores.empty(), kInvalidArgument, "no " << which << " scores to plot");
  for (std::size_t i = 0; i < scores.size(); ++i) {
    TP_CHECK(std::isfinite(scores[i]), kInvalidArgument,
             which << " score " << i << " is not finite (" << scores[i] << ")");
  }
}

std::string summary_line(const match::VerificationMetrics& m) {
  return "EER " + percent(m.eer) + "   FMR100 " + percent(m.fmr100) + "   FMR1000 " +
         percent(m.fmr1000) + "   ZeroFMR " + percent(m.zero_fmr);
}

std::string counts_line(std::size_t genuine, std::size_t impostor) {
  return std::to_string(genuine) + " genuine, " + std::to_string(impostor) + " impostor pairs";
}

}  // namespace

double eer_threshold(const match::VerificationMetrics& metrics) {
  TP_CHECK(!metrics.det.empty(), kInvalidArgument, "verification metrics hold no DET points");
  const auto closest = std::min_element(
      metrics.det.begin(), metrics.det.end(), [](const match::DetPoint& a, const match::DetPoint& b) {
        return std::abs(a.fmr - a.fnmr) < std::abs(b.fmr - b.fnmr);
      });
  return closest->threshold;
}

plot::Chart det_chart(const match::VerificationMetrics& m, const std::string& data_label) {
  TP_CHECK(m.genuine_count > 0 && m.impostor_count > 0, kInvalidArgument,
           "DET chart needs genuine and impostor pairs (got " << m.genuine_count << " and "
                                                              << m.impostor_count << ")");
  // Smallest non-zero rates the sample can show: one error among its pairs.
  const double lowest = decade_floor(std::min(1.0 / static_cast<double>(m.impostor_count),
                                              1.0 / static_cast<double>(m.genuine_count)));
  const double upper = m.eer > kWideEer ? kDetUpperWide : kDetUpper;

  std::vector<double> fmr, fnmr;
  for (const auto& point : m.det) {
    if (point.fmr <= 0 || point.fmr >= 1 || point.fnmr <= 0 || point.fnmr >= 1) continue;
    fmr.push_back(point.fmr);
    fnmr.push_back(point.fnmr);
  }

  plot::Chart chart;
  chart.title("DET curve: " + data_label)
      .subtitle(summary_line(m) + "\n" + counts_line(m.genuine_count, m.impostor_count) +
                " (ordered)")
      .legend(plot::Corner::kBottomLeft)
      .x_axis("False match rate (FMR)", plot::Scale::kProbit, lowest, upper)
      .y_axis("False non-match rate (FNMR)", plot::Scale::kProbit, lowest, upper)
      .add_line("", {lowest, upper}, {lowest, upper}, plot::palette::kGrey, 1);
  if (0.01 > lowest && 0.01 < upper) {
    chart.add_vertical_marker(0.01, "FMR100: FNMR " + percent(m.fmr100), plot::palette::kGreen);
  }
  if (0.001 > lowest && 0.001 < upper) {
    chart.add_vertical_marker(0.001, "FMR1000: FNMR " + percent(m.fmr1000), plot::palette::kPurple);
  }
  if (!fmr.empty()) chart.add_line("DET", fmr, fnmr, plot::palette::kBlue, 2.5);
  if (m.eer > lowest && m.eer < upper) {
    chart.add_point(m.eer, m.eer, "EER " + percent(m.eer), plot::palette::kVermillion);
  } else if (m.eer == 0) {
    chart.subtitle(summary_line(m) + "\n" + counts_line(m.genuine_count, m.impostor_count) +
                   ": no errors at the EER, nothing to place on the curve");
  }
  return chart;
}

plot::Chart score_histogram_chart(const std::vector<double>& genuine,
                                  const std::vector<double>& impostor,
                                  const match::VerificationMetrics& m,
                                  const std::string& data_label) {
  check_scores(genuine, "genuine");
  check_scores(impostor, "impostor");
  double low = INFINITY, high = -INFINITY, lowest_positive = INFINITY;
  std::size_t not_positive = 0;
  for (const auto* scores : {&genuine, &impostor}) {
    for (double s : *scores) {
      low = std::min(low, s);
      high = std::max(high, s);
      if (s > 0) lowest_positive = std::min(lowest_positive, s);
      else ++not_positive;
    }
  }
  // Matchers like LSS-R crowd impostors into a narrow band near 0 while genuine scores
  // spread over decades: a log score axis shows both. Scores <= 0 then go to the first bin.
  const bool log_axis = std::isfinite(lowest_positive) && high / lowest_positive >= kLogScoreSpan;
  if (log_axis) low = lowest_positive;
  if (high <= low) high = low + (log_axis ? low : 1.0);
  const plot::Scale scale = log_axis ? plot::Scale::kLog10 : plot::Scale::kLinear;
  const double axis_low = log_axis ? std::log10(low) : low;
  const double axis_high = log_axis ? std::log10(high) : high;
  const double width = (axis_high - axis_low) / kHistogramBins;
  std::vector<double> edges(kHistogramBins + 1);
  for (int i = 0; i <= kHistogramBins; ++i) {
    const double e = axis_low + i * width;
    edges[i] = log_axis ? std::pow(10.0, e) : e;
  }
  edges.front() = log_axis ? low * (1 - 1e-9) : low;
  edges.back() = log_axis ? high * (1 + 1e-9) : high + width * 1e-9;  // top score in the last bin

  auto shares = [&](const std::vector<double>& scores) {
    std::vector<double> counts(kHistogramBins, 0);
    for (double s : scores) {
      const double a = log_axis ? (s > 0 ? std::log10(s) : axis_low) : s;
      const int bin = std::clamp(static_cast<int>((a - axis_low) / width), 0, kHistogramBins - 1);
      counts[bin] += 1;
    }
    for (double& c : counts) c *= 100.0 / static_cast<double>(scores.size());
    return counts;
  };

  const int decimals = score_decimals(high);
  const double threshold = eer_threshold(m);
  std::string notes = counts_line(genuine.size(), impostor.size());
  if (log_axis) notes += "; log score axis";
  if (log_axis && not_positive > 0) notes += ", " + std::to_string(not_positive) + " scores <= 0 in the first bin";
  plot::Chart chart;
  chart.title("Score distributions: " + data_label)
      .subtitle(summary_line(m) + "\n" + notes)
      .x_axis(std::string("Comparison score (higher = more similar") + (log_axis ? ", log scale)" : ")"),
              scale, edges.front(), edges.back())
      .y_axis("Share of pairs in bin (%)")
      .add_histogram("impostor (" + std::to_string(impostor.size()) + " pairs)", edges,
                     shares(impostor), plot::palette::kBlue)
      .add_histogram("genuine (" + std::to_string(genuine.size()) + " pairs)", edges,
                     shares(genuine), plot::palette::kVermillion);
  if (!log_axis || threshold > 0) {
    chart.add_vertical_marker(threshold, "EER threshold " + fixed(threshold, decimals),
                              plot::palette::kBlack);
  }
  return chart;
}

std::vector<std::string> write_verification_charts(const std::string& directory,
                                                   const match::VerificationMetrics& metrics,
                                                   const std::vector<double>& genuine,
                                                   const std::vector<double>& impostor,
                                                   const std::string& data_label) {
  namespace fs = std::filesystem;
  TP_CHECK(!fs::exists(directory) || fs::is_directory(directory), kInvalidArgument,
           "plot folder '" << directory << "' exists and is not a folder");
  std::error_code error;
  fs::create_directories(directory, error);
  TP_CHECK(!error, kInternal, "cannot create plot folder '" << directory << "': " << error.message());
  const std::string det_path = (fs::path(directory) / "det.png").string();
  const std::string scores_path = (fs::path(directory) / "scores.png").string();
  det_chart(metrics, data_label).save_png(det_path, kDetWidth, kDetHeight);
  score_histogram_chart(genuine, impostor, metrics, data_label)
      .save_png(scores_path, kScoresWidth, kScoresHeight);
  return {det_path, scores_path};
}

}  // namespace tuskprint::chart
