#pragma once
// Ridge period map: a smooth random field (coarse random nodes, bicubic interpolation)
// around a per-finger mean, ~9 px at 500 ppi, kept within 7..12 px.
#include <opencv2/core.hpp>

#include "datasets/fingerprints/random.hpp"
#include "datasets/fingerprints/synth_params.hpp"

namespace tuskprint::synth {

cv::Mat1f ridge_period_map(cv::Size size, Rng& rng, const MasterParams& params);

}  // namespace tuskprint::synth
