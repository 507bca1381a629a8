#include "link/graph_types.hpp"

#include "core/error.hpp"

namespace tuskprint::link {

const char* to_string(Role role) {
  switch (role) {
    case Role::kUnknown: return "unknown";
    case Role::kOrigin: return "origin";
    case Role::kTransit: return "transit";
    case Role::kDestination: return "destination";
  }
  return "unknown";
}

Role parse_role(std::string_view text) {
  if (text.empty() || text == "unknown") return Role::kUnknown;
  if (text == "origin") return Role::kOrigin;
  if (text == "transit") return Role::kTransit;
  if (text == "destination") return Role::kDestination;
  TP_THROW(kInvalidArgument, "unknown seizure role '" << text << "': use origin, transit, destination or unknown");
}

const char* to_string(Modality modality) {
  return modality == Modality::kFinger ? "finger" : "schreger";
}

Modality parse_modality(std::string_view text) {
  if (text == "finger") return Modality::kFinger;
  if (text == "schreger") return Modality::kSchreger;
  TP_THROW(kInvalidArgument, "unknown modality '" << text << "': use finger or schreger");
}

const char* to_string(ScanKind kind) {
  switch (kind) {
    case ScanKind::kLatentLift: return "latent-lift";
    case ScanKind::kReferencePrint: return "reference-print";
    case ScanKind::kCrossSection: return "cross-section";
  }
  return "latent-lift";
}

ScanKind parse_scan_kind(std::string_view text) {
  if (text == "latent-lift") return ScanKind::kLatentLift;
  if (text == "reference-print") return ScanKind::kReferencePrint;
  if (text == "cross-section") return ScanKind::kCrossSection;
  TP_THROW(kInvalidArgument, "unknown scan kind '" << text << "': use latent-lift, reference-print or cross-section");
}

Modality modality_of(ScanKind kind) {
  return kind == ScanKind::kCrossSection ? Modality::kSchreger : Modality::kFinger;
}

}  // namespace tuskprint::link
