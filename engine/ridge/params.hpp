#pragma once
// Every tuning constant of the friction-ridge extractor, in one place. Lengths are in
// pixels at the working resolution (500 ppi) unless a name says otherwise. The whole set
// is serialised canonically and hashed into every template (parameters_hash()), so a
// change here makes older templates refuse to load instead of scoring silently wrong.
#include <string>

namespace tuskprint::ridge {

// Bump when the algorithm changes in a way the parameters do not capture.
inline constexpr const char* kExtractorVersion = "tuskprint-ridge/1.0";

// Resolution every later stage works at.
inline constexpr int kWorkingPpi = 500;

struct NormalisationParams {
  int min_ppi = 250;                 // below this, ridges (about 0.5 mm apart) are barely sampled
  int max_ppi = 1000;                // latent cameras deliver 1000 ppi; more is a wrong value
  int min_side = 64;                 // after rescaling; smaller holds too few ridges to segment
  double max_pixels = 16e6;          // after rescaling; about 8 x 8 cm at 500 ppi (decompression bomb guard)
};

struct GradientParams {
  int cell = 4;                      // orientation/frequency fields are sampled on cells of this side
  double presmooth_sigma = 1.0;      // Gaussian before Sobel, against powder speckle and sensor noise
};

struct SegmentationParams {
  double feature_sigma = 1.5;        // Gaussian sigma (cells) pooling the per-cell features
  double min_contrast = 5.0;         // grey-level std below which a cell is background whatever else
  double relative_contrast = 0.22;   // cell std must reach this fraction of the 90th percentile std
  double min_coherence = 0.18;       // cells with less gradient coherence are not ridge flow
  int close_radius = 2;              // morphological closing (cells): fills gaps inside the print
  int open_radius = 2;               // morphological opening (cells): drops thin background speckle
  double min_component_fraction = 0.15;  // keep components with at least this share of the largest
  int erode_px = 4;                  // final erosion (px) so that the mask edge lies inside ridges
  double min_valid_frequency_share = 0.3;   // refinement: around a foreground cell at least
                                            //   this share must show a measurable ridge period
                                            //   (ivory texture and Schreger lines do not)
  double frequency_density_sigma = 4.0;     // Gaussian sigma (cells) of that neighbourhood
};

struct OrientationParams {
  double fine_sigma = 1.5;           // Gaussian sigma (cells) of doubled-angle averaging, fine scale
  double coarse_sigma = 4.0;         // sigma (cells) of the coarse scale used where fine coherence is low
};

struct FrequencyParams {
  int block = 16;                    // one period estimate per block of this side
  int window_length = 40;            // x-signature length across ridges (about 4 periods)
  int window_width = 16;             // x-signature width along ridges (averaging)
  double min_period = 4.0;           // 125 ridges/inch: finer is noise
  double max_period = 16.0;          // 0.8 mm: coarser is not a friction ridge (Schreger lines: ~1 mm)
  double min_autocorrelation = 0.3;  // weakest normalised autocorrelation peak accepted as periodic
  double min_trough_correlation = 0.1;  // ... and the anti-correlation (at half a period) must
                                        //   reach at least minus this
  double fill_sigma = 2.0;           // Gaussian sigma (blocks) for filling and smoothing the field
  double default_period = 9.0;       // typical adult ridge period at 500 ppi, when nothing is measured
};

struct EnhancementParams {
  int orientation_bins = 16;         // Gabor bank orientations over 180 degrees (11.25 degree steps)
  double period_step = 0.5;          // Gabor bank period quantum (px)
  int radius = 7;                    // kernel half-size (px): 15 x 15 taps
  double sigma_across = 0.45;        // Gaussian sigma across ridges as a fraction of the period
  double sigma_along = 0.8;          // Gaussian sigma along ridges as a fraction of the period
                                     //   (long: bridges breaks and pores in dry prints)
  int mean_window = 15;              // box window (px) of the local mean removed before filtering
};

struct BinarisationParams {
  int min_ridge_area = 25;           // connected ridge blobs smaller than this (px) are noise
  int min_valley_area = 25;          // valley holes smaller than this (px) are pores: filled
};

struct MinutiaeParams {
  int merge_distance = 2;            // crossing-number hits this close (px, Chebyshev) are one minutia
  int direction_trace = 12;          // skeleton length (px) traced to measure a minutia's direction
  double max_field_disagreement = 0.6;  // radians; traced vs field direction beyond this: keep traced
};

struct FilterParams {
  int spur_length = 14;              // ending-to-bifurcation branches shorter than this are spurs
  int fragment_length = 20;          // ridges with two endings shorter than this are dirt
  int bridge_length = 18;            // bifurcation-to-bifurcation links shorter than this, across the
  double bridge_min_angle = 0.6;     //   flow by at least this (radians), are bridges
  int lake_length = 30;              // two bifurcations joined by two paths both shorter: a lake
  int gap_length = 16;               // facing endings closer than this are one broken ridge
  double gap_max_angle = 0.7;        // radians: how far an ending may point off the gap line
  int repair_rounds = 2;             // skeleton repair passes (a repair can expose another)
  int border_margin = 14;            // minutiae nearer the mask edge than this (px) are dropped
  int edge_facing_distance = 28;     // endings this near the edge (px) that point out of the mask
                                     //   within this distance are ridges fading out: dropped
  int pair_distance = 6;             // two minutiae closer than this (px) are both dropped
  int cluster_radius = 14;           // a minutia with cluster_count others within this radius ...
  int cluster_count = 3;             //   ... sits in a noise cluster: dropped with them
  double min_coherence = 0.1;        // minutiae where the orientation coherence is lower are dropped
};

struct QualityParams {
  int min_minutiae = 10;             // fewer cannot reach the 8-12 paired minutiae a search needs
  double min_foreground_px = 12000;  // at 500 ppi, about 5.6 x 5.6 mm of ridges
  double min_mean_coherence = 0.3;   // mean foreground coherence below this: orientation unreliable
  double full_area_px = 60000;       // foreground area that earns the full area score
  int full_minutiae = 40;            // minutiae count that earns the full count score
};

struct OutputParams {
  int mask_block = 8;                // foreground mask stored in the template in blocks of this side
};

struct Params {
  NormalisationParams normalisation;
  GradientParams gradient;
  SegmentationParams segmentation;
  OrientationParams orientation;
  FrequencyParams frequency;
  EnhancementParams enhancement;
  BinarisationParams binarisation;
  MinutiaeParams minutiae;
  FilterParams filters;
  QualityParams quality;
  OutputParams output;
};

// The parameters the running extractor uses.
const Params& default_params();

// "group.name=value\n" lines in a fixed order; doubles with 17 significant digits.
std::string canonical_serialisation(const Params& params);

// Lower-case hex SHA-256 of canonical_serialisation(params).
std::string parameters_hash(const Params& params = default_params());

}  // namespace tuskprint::ridge
