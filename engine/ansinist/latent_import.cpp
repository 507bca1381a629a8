#include "ansinist/latent_import.hpp"

#include <cmath>

#include "ansinist/efs.hpp"
#include "core/error.hpp"

namespace tuskprint::ansinist {
namespace {

constexpr double kCmPerInch = 2.54;

int required_number(const Record& r, int number, const char* mnemonic, long long lo, long long hi) {
  const long long v = parse_decimal(r.value(number));
  TP_CHECK(v >= lo && v <= hi, kDataLoss,
           "field 13." << (number < 10 ? "00" : "0") << number << " " << mnemonic << ": '"
                       << r.value(number) << "' is missing or outside " << lo << ".." << hi);
  return static_cast<int>(v);
}

int resolution_ppi(const Record& r) {
  const int slc = required_number(r, 8, "SLC", 0, 2);
  const int thps = required_number(r, 9, "THPS", 1, 99999);
  TP_CHECK(slc != 0, kDataLoss, "field 13.008 SLC is 0 (no scale): the latent has no known resolution");
  return slc == 1 ? thps : static_cast<int>(std::lround(thps * kCmPerInch));
}

}  // namespace

LatentImport import_latent(const Transaction& t, int idc) {
  const Record* img = nullptr;
  for (const Record* r : t.all(13))
    if (idc < 0 || r->idc() == idc) {
      img = r;
      break;
    }
  TP_CHECK(img, kNotFound, "transaction holds no Type-13 latent image record"
                               << (idc >= 0 ? " with IDC " + std::to_string(idc) : std::string()));
  LatentImport out;
  out.idc = img->idc();
  out.width = required_number(*img, 6, "HLL", 1, 99999);
  out.height = required_number(*img, 7, "VLL", 1, 99999);
  out.ppi = resolution_ppi(*img);
  out.bits_per_pixel = required_number(*img, 12, "BPX", 1, 48);
  out.compression = img->value(11);
  out.source_agency = img->value(4);
  out.capture_date = img->value(5);
  const Field* data = img->find(999);
  TP_CHECK(data && data->binary && !data->data.empty(), kDataLoss, "field 13.999 DATA: image data is missing");
  out.image = data->data;
  if (out.compression == "NONE") {
    const unsigned long long expected =
        static_cast<unsigned long long>(out.width) * out.height * out.bits_per_pixel / 8;
    TP_CHECK(out.image.size() == expected, kDataLoss,
             "field 13.999 DATA: " << out.image.size() << " bytes of uncompressed data, expected " << expected
                                   << " for " << out.width << "x" << out.height << " at " << out.bits_per_pixel
                                   << " bits");
  }
  for (const Record* r9 : t.all(9)) {
    if (r9->idc() != out.idc) continue;
    const Field* min = r9->find(331);
    if (!min) continue;
    out.has_minutiae = true;
    for (const EfsMinutia& e : parse_efs_minutiae(*min)) out.minutiae.push_back(from_efs(e, kTemplatePpi));
    break;
  }
  return out;
}

}  // namespace tuskprint::ansinist
