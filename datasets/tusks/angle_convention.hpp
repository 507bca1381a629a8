#pragma once
// The Schreger angle convention shared by the generator and the estimator.
//
// A polished transverse section shows two mirrored families of curved lines. At any
// point, a line of family "+" makes an angle +alpha with the radial direction (the
// direction from the pulp centre outward) and a line of family "-" makes -alpha.
// Two crossing lines form two pairs of vertical angles: one pair is bisected by the
// radial direction (the angle that opens toward the periphery, the "convex" angle of
// Espinoza & Mann, and its vertical twin opening toward the pulp), the other by the
// tangential direction. The Schreger angle is the one bisected by the radial
// direction:
//
//     A = 2 * alpha        (alpha = angle between each line and the radial direction)
//
// so lines that run nearly radially (near the pulp) give small angles, and lines that
// lean toward the tangent (near the cementum) give large ones. With this convention
// mammoth outer angles are acute (~74 deg) and elephant outer angles obtuse (~124
// deg), as published, and A grows from the pulp outward.
#include <cmath>

namespace tuskprint::datasets::tusks {

// A(rho): the crossing angle along the normalised radius rho (0 at the pulp centre,
// 1 at the cementum-dentine junction). It rises from `inner_deg` at rho = 0 to
// `outer_deg` at rho = 1 and is flat at the CDJ (zero slope), so the "outer angle"
// measured just inside the CDJ equals `outer_deg` within a fraction of a degree:
//     A(rho) = outer - (outer - inner) * (1 - rho)^exponent,   exponent >= 2.
struct AngleProfile {
  double inner_deg = 40.0;
  double outer_deg = 120.0;
  double exponent = 2.5;

  double at(double rho) const {
    const double t = rho <= 0.0 ? 1.0 : rho >= 1.0 ? 0.0 : 1.0 - rho;
    return outer_deg - (outer_deg - inner_deg) * std::pow(t, exponent);
  }
  // Angle between one line family and the radial direction, radians.
  double half_angle_rad(double rho) const { return 0.5 * at(rho) * M_PI / 180.0; }
};

}  // namespace tuskprint::datasets::tusks
