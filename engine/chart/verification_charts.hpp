#pragma once
// Pictures of a verification run (tuskprint eval verify --plot DIR):
//   det.png     DET curve, FMR against FNMR on probit (normal deviate) axes as in the NIST
//               and ISO/IEC 19795-1 convention, with the EER point, the FMR = FNMR
//               diagonal and the FMR100 / FMR1000 operating lines.
//   scores.png  genuine and impostor score histograms on shared bins, each as a share of
//               its own pairs (so a few hundred genuine pairs and thousands of impostor
//               pairs compare), with the EER threshold marked.
// Points where FMR or FNMR is 0 or 1 cannot be placed on a probit axis and are left out
// (the subtitle gives ZeroFMR instead).
#include <string>
#include <vector>

#include "match/evaluation.hpp"
#include "plot/chart.hpp"

namespace tuskprint::chart {

// `data_label` names the run in the title ("DB1_B, lssr-bit").
plot::Chart det_chart(const match::VerificationMetrics& metrics, const std::string& data_label);

// Error(kInvalidArgument) for an empty list or a non-finite score.
plot::Chart score_histogram_chart(const std::vector<double>& genuine,
                                  const std::vector<double>& impostor,
                                  const match::VerificationMetrics& metrics,
                                  const std::string& data_label);

// The threshold at which FMR and FNMR are closest (the EER operating point).
double eer_threshold(const match::VerificationMetrics& metrics);

// Writes <directory>/det.png and <directory>/scores.png (creating the directory) and
// returns their paths. Error(kInvalidArgument) when `directory` exists and is not a folder.
std::vector<std::string> write_verification_charts(const std::string& directory,
                                                   const match::VerificationMetrics& metrics,
                                                   const std::vector<double>& genuine,
                                                   const std::vector<double>& impostor,
                                                   const std::string& data_label);

}  // namespace tuskprint::chart
