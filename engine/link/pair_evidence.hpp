#pragma once
// Combined evidence between two linked seizures.
//
// Adding the log10 LRs of every edge between two seizures would be right only if each
// edge were independent evidence. They are not: one latent lift compared with three
// reference prints of the same person, or two lifts of one finger on two tusks of the
// same seizure, count the same fact (that finger touched both consignments) several
// times, and a chance resemblance would be counted again with each re-use of the scan.
//
// The rule, per seizure pair and per modality:
//   1. only edges at or above the query threshold count (each must be convincing on its
//      own; many weak edges do not add up to a strong one);
//   2. scans of one seizure joined by an edge of that modality at the threshold are the
//      same source (one finger, one tusk) and count as one; so are prints recorded with
//      the same person (Scan::person: the fingers of one tenprint card), in any seizure;
//   3. edges are taken strongest first, and an edge is taken only when neither of its
//      sources has been used by a stronger one (a greedy one-to-one matching of sources);
//   4. the log10 LRs of the taken edges are added: each is a distinct pair of sources.
// Finger and Schreger evidence come from different physical facts (a person's touch, the
// identity of a tusk) and are added. The result never exceeds the plain sum and is at least
// the strongest single edge. Two lifts of one unknown finger in different seizures that
// were never compared with each other still count twice (nothing says they are one
// source); the per-modality figures are reported so an examiner can weigh that.
#include <string>
#include <vector>

#include "link/link_graph.hpp"

namespace tuskprint::link {

struct ModalityEvidence {
  Modality modality = Modality::kFinger;
  double combined_log10_lr = 0;   // sum over counted edges
  int linking_edges = 0;          // edges between the two seizures at or above the threshold
  std::vector<int> counted_edges; // graph edge indices taken by the rule, strongest first
};

struct PairEvidence {
  int seizure_a = 0, seizure_b = 0;     // graph seizure indices, seizure_a < seizure_b
  std::vector<ModalityEvidence> modalities;  // finger then Schreger, only those with edges
  double combined_log10_lr = 0;         // sum over modalities
};

// Evidence for every pair of seizures in `seizures` (graph indices) joined directly by at
// least one edge at or above `min_log10_lr`, ordered by (seizure_a, seizure_b).
std::vector<PairEvidence> combine_pair_evidence(const LinkGraph& graph, const std::vector<int>& seizures,
                                                double min_log10_lr);

}  // namespace tuskprint::link
