#include "ansinist/efs.hpp"

#include <cmath>
#include <numbers>

#include "core/error.hpp"

namespace tuskprint::ansinist {

double efs_units_per_pixel(int ppi) {
  TP_CHECK(ppi > 0, kInvalidArgument, "resolution must be positive, got " << ppi << " ppi");
  return 2540.0 / ppi;
}

EfsMinutia to_efs(const ridge::Minutia& m, int ppi) {
  const double k = efs_units_per_pixel(ppi);
  EfsMinutia e;
  e.x = static_cast<int>(std::lround(std::max(0.0, m.x * k)));
  e.y = static_cast<int>(std::lround(std::max(0.0, m.y * k)));
  long deg = std::lround(m.direction * 180.0 / std::numbers::pi);
  e.theta = static_cast<int>(((deg % 360) + 360) % 360);
  e.type = m.type == ridge::MinutiaType::kEnding        ? 'E'
           : m.type == ridge::MinutiaType::kBifurcation ? 'B'
                                                        : 'X';
  return e;
}

ridge::Minutia from_efs(const EfsMinutia& e, int ppi) {
  const double k = efs_units_per_pixel(ppi);
  ridge::Minutia m;
  m.x = static_cast<float>(e.x / k);
  m.y = static_cast<float>(e.y / k);
  m.direction = static_cast<float>((e.theta % 360) * std::numbers::pi / 180.0);
  m.type = e.type == 'E' ? ridge::MinutiaType::kEnding
           : e.type == 'B' ? ridge::MinutiaType::kBifurcation
                           : ridge::MinutiaType::kOther;
  m.quality = 1;
  return m;
}

std::vector<EfsMinutia> parse_efs_minutiae(const Field& f) {
  std::vector<EfsMinutia> out;
  for (std::size_t i = 0; i < f.subfields.size(); ++i) {
    const Subfield& s = f.subfields[i];
    TP_CHECK(s.size() >= 4, kDataLoss,
             "field " << f.tag() << " MIN subfield " << i + 1 << ": needs X, Y, theta and type");
    const long long x = parse_decimal(s[0]), y = parse_decimal(s[1]), t = parse_decimal(s[2]);
    TP_CHECK(x >= 0 && x <= 99999 && y >= 0 && y <= 99999 && t >= 0 && t <= 360, kDataLoss,
             "field " << f.tag() << " MIN subfield " << i + 1 << ": '" << s[0] << "', '" << s[1]
                      << "', '" << s[2] << "' are not EFS coordinates and angle");
    EfsMinutia e;
    e.x = static_cast<int>(x);
    e.y = static_cast<int>(y);
    e.theta = static_cast<int>(t % 360);
    e.type = s[3].size() == 1 ? s[3][0] : 'X';
    out.push_back(e);
  }
  return out;
}

Field efs_minutiae_field(const std::vector<EfsMinutia>& minutiae) {
  Field f;
  f.record_type = 9;
  f.number = 331;
  for (const auto& e : minutiae)
    f.subfields.push_back({std::to_string(e.x), std::to_string(e.y), std::to_string(e.theta),
                           std::string(1, e.type)});
  return f;
}

}  // namespace tuskprint::ansinist
