#pragma once
// Random fields used by the renderers, all drawn from our portable Rng.
#include <opencv2/core.hpp>

#include "datasets/fingerprints/random.hpp"

namespace tuskprint::synth {

// Zero-mean, unit-variance-ish smooth noise with features of about `scale` px (coarse
// Gaussian nodes, bicubic interpolation).
cv::Mat1f smooth_noise(cv::Size size, double scale, Rng& rng);

// Adds N(0, sd) to every pixel.
void add_gaussian_noise(cv::Mat1f& image, double sd, Rng& rng);

// Smoothstep of t clamped to [0, 1], elementwise.
cv::Mat1f smoothstep(const cv::Mat1f& t);

}  // namespace tuskprint::synth
