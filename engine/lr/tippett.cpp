#include "lr/tippett.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace tuskprint::lr {
namespace {

// Step curve of "share >= x" over sorted values, from x_low to x_high.
void cumulative_curve(std::vector<double> values, double x_low, double x_high, std::vector<double>& xs,
                      std::vector<double>& ys) {
  std::sort(values.begin(), values.end());
  const double n = static_cast<double>(values.size());
  xs = {x_low};
  ys = {1.0};
  for (std::size_t k = 0; k < values.size();) {
    std::size_t j = k;
    while (j < values.size() && values[j] == values[k]) ++j;  // ties drop together
    xs.push_back(values[k]), ys.push_back((n - double(k)) / n);
    xs.push_back(values[k]), ys.push_back((n - double(j)) / n);
    k = j;
  }
  xs.push_back(x_high), ys.push_back(0.0);
}

}  // namespace

plot::Chart tippett_chart(const ScoreSet& l, const std::string& title, const std::string& subtitle) {
  require_both_classes(l, "the Tippett plot");
  double lo = 0, hi = 0;
  for (const auto* list : {&l.genuine, &l.impostor})
    for (double v : *list) {
      TP_CHECK(std::isfinite(v), kInvalidArgument, "Tippett plot: a log10 LR is not finite (" << v << ")");
      lo = std::min(lo, v), hi = std::max(hi, v);
    }
  lo = std::floor(lo - 0.5), hi = std::ceil(hi + 0.5);
  std::vector<double> gx, gy, ix, iy;
  cumulative_curve(l.genuine, lo, hi, gx, gy);
  cumulative_curve(l.impostor, lo, hi, ix, iy);
  plot::Chart chart;
  chart.title(title)
      .subtitle(subtitle)
      .x_axis("log10 LR", plot::Scale::kLinear, lo, hi)
      .y_axis("Share of comparisons with log10 LR >= x", plot::Scale::kLinear, 0, 1)
      .add_line("same source (" + std::to_string(l.genuine.size()) + ")", gx, gy, plot::palette::kBlue)
      .add_line("different sources (" + std::to_string(l.impostor.size()) + ")", ix, iy, plot::palette::kVermillion)
      .add_vertical_marker(0, "LR = 1")
      .legend(plot::Corner::kTopRight);
  return chart;
}

}  // namespace tuskprint::lr
