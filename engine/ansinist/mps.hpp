#pragma once
// INT-I v6 MPS (latent-to-print search) transaction from a latent scan and its template:
// Type-1, Type-2 (case, evidence and latent identifiers), Type-9 (EFS minutiae, same IDC
// as the image), Type-13 (the latent image, stored lossless) and optionally Type-20 (a
// photo of the ivory piece the mark was lifted from).
#include <chrono>
#include <optional>
#include <string>

#include "ansinist/transaction.hpp"
#include "ridge/template.hpp"

namespace tuskprint::ansinist {

inline constexpr const char* kMediaPng = "image/png";
inline constexpr const char* kMediaRawGrey8 = "image/x-raw-grey8";  // width*height bytes

struct Agency {
  std::string id;       // 1.007 DAI / 1.008 ORI (and 13.004 SRC for the originator)
  std::string name;     // 1.017 ANM
  std::string country;  // ISO 3166 alpha-3 (XML encoding only)
};

struct SourcePhoto {
  std::string bytes;
  std::string file_type = "PNG";  // 20.015 FTY: file suffix (PNG, JPG, TIF, ...)
};

struct MpsInput {
  std::string image;                   // latent image bytes
  std::string media_type = kMediaPng;  // kMediaPng, kMediaRawGrey8, or any format image::decode reads
  int width = 0;                       // pixels
  int height = 0;
  int ppi = 0;                         // native scanning resolution of `image`
  ridge::FingerTemplate features;      // minutiae in pixels at features.ppi
  int finger_position = 0;             // FGP code: 0 = unknown finger

  std::string case_country;    // 2.007 CNO item A (ISO 3166 alpha-3)
  std::string case_reference;  // 2.007 CNO item B
  std::string evidence_id;     // 2.008 SQN
  std::string latent_id;       // 2.009 MID
  Agency origin;
  Agency destination;
  std::optional<SourcePhoto> photo;

  std::chrono::system_clock::time_point time = std::chrono::system_clock::now();
  unsigned long long tcn_serial = 0;  // 12-digit serial of 1.009 TCN
};

// Builds and validates (validate_int_i) the transaction. PNG images that are 8-bit grey are
// stored unchanged (CGA PNG); raw grey is stored as CGA NONE; any other decodable image is
// converted without loss to an 8-bit grey PNG. Throws kInvalidArgument naming the field or
// input that is wrong.
Transaction build_mps(const MpsInput& input);

}  // namespace tuskprint::ansinist
