#pragma once
// Genuine and impostor scores of one matcher: what a score-to-LR model is fitted on and
// judged with. Text form, one comparison a line:
//
//   # comment lines and blank lines are ignored
//   genuine 0.0731
//   impostor 0.0124
//
// (label, whitespace, score; the score any finite number the matcher gives).
#include <string>
#include <vector>

namespace tuskprint::lr {

struct ScoreSet {
  std::vector<double> genuine;   // same source (mates, adjacent faces of one tusk)
  std::vector<double> impostor;  // different sources

  void append(const ScoreSet& other);
};

// Throws Error(kInvalidArgument) naming the line for an unknown label, a missing or
// non-finite score or trailing text; Error(kInvalidArgument) when the file cannot be read.
ScoreSet parse_score_lines(const std::string& text, const std::string& source_name = "scores");
ScoreSet read_score_file(const std::string& path);
// Genuine lines first, then impostor lines, scores with 9 significant digits.
std::string score_lines(const ScoreSet& scores);
void write_score_file(const std::string& path, const ScoreSet& scores);

// Error(kInvalidArgument) naming `what` when either list is empty.
void require_both_classes(const ScoreSet& scores, const std::string& what);

}  // namespace tuskprint::lr
