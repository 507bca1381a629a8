#pragma once
// Gallery-level ranking of the candidates of one probe face: the 1:1 link score
// (link_compare.hpp), then the cut order of the tusk's faces.
//
// The 1:1 score cannot tell the adjacent face from the face three cuts away well: both are
// mirror images of the probe and differ only by a little more pattern drift, which is less
// than the spread between a clean whole face and a noisy cut piece. The candidates that are
// clearly of the probe's tusk hold more evidence together: each of them is also adjacent to
// one or two of the others. So they are put in cut order, the sequence in which the summed
// weight of neighbours is highest (a maximum-weight Hamiltonian path), and the probe's
// neighbours in that order come first if they are its mirror images (a neighbour of the same
// handedness means the face between them is missing, unless the faces beyond it all have the
// handedness of a complete chain: then the neighbour's own pair misread it, provided the sizes
// do not place it far from the probe, as they do a face of another tusk).
//
// The weight of a pair is not its link score but how close the two faces are along the tusk:
// -ln(1 - local phase coherence) of their registered line patterns (pattern_coherence.hpp), which
// falls as the pattern drifts between the faces and is less disturbed than the NCC by the noise
// of either scan, less link_order_ncc_weight times their registration NCC (noise lowers both the
// coherence and the NCC, drift mostly the coherence: at equal coherence the better registered
// pair has drifted more), plus link_order_handedness_bonus when the pair are mirror images
// (facing cut faces are), less a penalty for the difference in the faces' sizes: the tusk
// tapers, so faces farther apart along it differ more in size (outline_profile.hpp; the faces'
// positions are fitted to all measured pairwise size steps, so one misread step counts little).
// Example: P's adjacent face A is a noisy cut piece, B, C and D are
// clean faces two, three and four cuts away, and C outscores A against P. The order
// P-C-B-A-D then has to put A next to D (three cuts apart) where P-A-B-C-D has C next to D: it
// wins only if P-C plus A-D outweigh P-A plus C-D, evidence from four pairs, not one.
//
// Which faces join the order: those whose better registration (max of the mirrored and plain
// NCC, not the handedness-weighted score) is above link_cluster_min_ncc, a level that faces of
// different tusks reach in about 1 of 1,000 shortlisted pairs, the best link scores first, at
// most link_cluster_max_faces with the probe. A shortlist face that registers with the probe
// only between link_cluster_weak_ncc and that level (a noisy cut piece, whose gap in the order
// would make the face beyond it the probe's neighbour) joins too when it registers above the
// cluster level with one of those faces, its own neighbours. One that registers with the probe
// between link_cluster_coherent_ncc and the cluster level joins when its local phase coherence
// with the probe reaches link_cluster_min_coherence (its pattern drifted little: a noisy scan
// of a near face; other tusks' faces stay below that level even where their NCC is as high).
// When neither of the probe's neighbours in the order is taken as adjacent, they still come
// first (link_order_neighbours_fallback): they are clearly of the probe's tusk and near it,
// where the link score order can put a face of another tusk first.
// And with no neighbour taken as adjacent, a shortlist face outside the order that registers
// well as the mirror image of one of those neighbours comes before them: the adjacent face,
// missing from the order between the probe and a neighbour two cuts away (link_gap_min_ncc).
// With fewer than two faces in the order the ranking is the link score order.
#include <cstddef>
#include <functional>
#include <vector>

#include "schreger/link_compare.hpp"
#include "schreger/params.hpp"

namespace tuskprint::schreger {

// Shortlist face `i` (0 <= i < count) prepared for comparison by prepare_link_face (so it
// carries its pattern map). Each face is asked for once, with_mirrored = false: the faces that
// may join the cut order are kept from the 1:1 stage and get their mirrored transforms from
// their map when they do.
using LinkFaceSource = std::function<LinkFace(std::size_t i, bool with_mirrored)>;

struct RankedLink {
  std::size_t candidate = 0;        // index into the shortlist
  LinkComparison comparison;        // probe vs candidate
  bool same_tusk = false;           // joined the cut order (registration above the cluster level)
  bool adjacent_in_order = false;   // next to the probe in the reconstructed cut order, and
                                    // its mirror image: ranked first
  bool order_neighbour = false;     // next to the probe in the cut order, whatever its
                                    // handedness: ranked first when no face is adjacent_in_order
                                    // (link_order_neighbours_fallback)
  bool fills_gap = false;           // outside the cut order, taken as the face missing between
                                    // the probe and a neighbour of its own handedness (it
                                    // registers as that neighbour's mirror image): ranked first
  double coherence = 0;             // pattern_coherence with the probe (same_tusk only, when
                                    // the order has two or more faces)
  double order_weight = 0;          // the pair's weight in the cut order (likewise)
  double size_penalty = 0;          // the part of it the faces' size difference took off
};

struct LinkRanking {
  std::vector<RankedLink> candidates;  // best first: the probe's neighbours in the cut order,
                                       // then the rest by link score
  // Reconstructed cut order of the probe's tusk: shortlist indices, kProbe for the probe;
  // empty unless at least two candidates joined it.
  std::vector<std::ptrdiff_t> cut_order;
  double order_weight_sum = 0;         // summed order weight of neighbours along cut_order
  int pair_comparisons = 0;            // compare_link_faces calls made
  static constexpr std::ptrdiff_t kProbe = -1;
};

// Ranks `count` shortlist faces against `probe` (which must have its mirrored transforms and
// carry its pattern map). Throws Error(kInvalidArgument) when the probe has no mirrored
// transforms or no pattern map, when `source` is empty while count > 0, or when a face of the
// order has no pattern map; errors of compare_link_faces propagate.
LinkRanking rank_link_candidates(const LinkFace& probe, std::size_t count, const LinkFaceSource& source,
                                 const SchregerParams& params = {});

// The order of n faces that maximises the summed link[i][j] of neighbours (exact, over all
// orders; n <= kMaxCutOrderFaces). Ties go to the order found first. link must be a symmetric
// n x n matrix of finite values (the diagonal is ignored). Throws Error(kInvalidArgument)
// naming the problem otherwise.
inline constexpr int kMaxCutOrderFaces = 12;
std::vector<int> best_cut_order(const std::vector<std::vector<double>>& link);

}  // namespace tuskprint::schreger
