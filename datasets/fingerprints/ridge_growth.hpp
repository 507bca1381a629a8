#pragma once
// Ridge growth (SFinGe): start from a few random seeds and filter the image over and
// over with the Gabor filter tuned to each pixel's orientation and period, amplifying and
// clipping to [-1, 1], until the pattern stops changing. Fronts grown from different
// seeds meet out of phase; the dislocations where they meet are the minutiae.
// Speed: the filters come from a quantised bank (orientation x period), each pixel is a
// dot product with its bank kernel, and only pixels the fronts have reached are filtered.
#include <vector>

#include <opencv2/core.hpp>

#include "datasets/fingerprints/random.hpp"
#include "datasets/fingerprints/synth_params.hpp"

namespace tuskprint::synth {

class GaborBank {
 public:
  explicit GaborBank(const MasterParams& params);

  struct Kernel {
    int radius = 0;
    int stride = 0;          // row length, padded to a multiple of 4 with zeros
    std::vector<float> weights;
  };

  // Bank index for a ridge tangent angle (radians, image frame) and period (px).
  int index(float orientation, float period) const;
  const Kernel& kernel(int index) const { return kernels_[static_cast<std::size_t>(index)]; }
  int max_radius() const { return max_radius_; }

 private:
  int orientation_bins_;
  int period_bins_;
  double period_min_;
  double period_step_;
  int max_radius_ = 0;
  std::vector<Kernel> kernels_;
};

// Returns the ridge pattern in [-1, 1] (+1 on ridges) after clipping, canvas-sized, zero
// outside the foreground.
cv::Mat1f grow_ridges(const cv::Mat1f& orientation, const cv::Mat1f& period,
                      const cv::Mat1b& foreground, Rng& rng, const MasterParams& params,
                      int* iterations_used = nullptr);

}  // namespace tuskprint::synth
