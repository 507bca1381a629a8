#pragma once
// Latent import from any ANSI/NIST-ITL transaction: the Type-13 image and, when a Type-9 with
// the same IDC carries EFS minutiae (9.331), those minutiae in TuskPrint's template frame
// (pixels at 500 ppi, direction radians counter-clockwise from +x with y up).
#include <string>
#include <vector>

#include "ansinist/transaction.hpp"
#include "ridge/template.hpp"

namespace tuskprint::ansinist {

inline constexpr int kTemplatePpi = 500;

struct LatentImport {
  std::string image;        // 13.999 as stored
  std::string compression;  // 13.011 CGA (NONE = raw 8-bit grey rows)
  int width = 0;            // 13.006 HLL
  int height = 0;           // 13.007 VLL
  int ppi = 0;              // from 13.008 SLC and 13.009 THPS (pixels per cm converted)
  int bits_per_pixel = 8;   // 13.012 BPX
  int idc = -1;
  std::string source_agency;  // 13.004 SRC
  std::string capture_date;   // 13.005 LCD
  bool has_minutiae = false;  // a Type-9 with EFS 9.331 matched the image's IDC
  std::vector<ridge::Minutia> minutiae;  // at kTemplatePpi
};

// Imports the first Type-13 record (or the one with IDC `idc` when idc >= 0). Throws
// kNotFound when there is none, kDataLoss when its fields are inconsistent (missing image,
// resolution, raw data size not width*height*bpp/8).
LatentImport import_latent(const Transaction& t, int idc = -1);

}  // namespace tuskprint::ansinist
