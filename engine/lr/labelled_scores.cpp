#include "lr/labelled_scores.hpp"

#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "core/error.hpp"

namespace tuskprint::lr {

void ScoreSet::append(const ScoreSet& other) {
  genuine.insert(genuine.end(), other.genuine.begin(), other.genuine.end());
  impostor.insert(impostor.end(), other.impostor.begin(), other.impostor.end());
}

ScoreSet parse_score_lines(const std::string& text, const std::string& source_name) {
  ScoreSet scores;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    std::istringstream fields(line);
    std::string label, score_text, extra;
    fields >> label >> score_text;
    TP_CHECK(label == "genuine" || label == "impostor", kInvalidArgument,
             source_name << " line " << number << ": label '" << label
                         << "' is neither 'genuine' nor 'impostor'");
    TP_CHECK(!score_text.empty(), kInvalidArgument, source_name << " line " << number << ": no score after the label");
    std::size_t used = 0;
    double score = 0;
    try {
      score = std::stod(score_text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    TP_CHECK(used == score_text.size() && std::isfinite(score), kInvalidArgument,
             source_name << " line " << number << ": score '" << score_text << "' is not a finite number");
    TP_CHECK(!(fields >> extra), kInvalidArgument,
             source_name << " line " << number << ": unexpected text '" << extra << "' after the score");
    (label == "genuine" ? scores.genuine : scores.impostor).push_back(score);
  }
  return scores;
}

ScoreSet read_score_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  TP_CHECK(in.is_open(), kInvalidArgument, "cannot read scores file '" << path << "'");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_score_lines(text.str(), "scores file '" + path + "'");
}

std::string score_lines(const ScoreSet& scores) {
  std::ostringstream out;
  out << std::setprecision(9);
  for (double s : scores.genuine) out << "genuine " << s << "\n";
  for (double s : scores.impostor) out << "impostor " << s << "\n";
  return out.str();
}

void write_score_file(const std::string& path, const ScoreSet& scores) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  TP_CHECK(out.is_open(), kInvalidArgument, "cannot write scores file '" << path << "'");
  out << score_lines(scores);
  out.flush();
  TP_CHECK(out.good(), kInternal, "writing scores file '" << path << "' failed");
}

void require_both_classes(const ScoreSet& scores, const std::string& what) {
  TP_CHECK(!scores.genuine.empty(), kInvalidArgument, what << " has no genuine scores");
  TP_CHECK(!scores.impostor.empty(), kInvalidArgument, what << " has no impostor scores");
}

}  // namespace tuskprint::lr
