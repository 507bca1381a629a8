// libFuzzer target: request decoding. The first byte picks a request message, the rest is
// parsed as its protobuf wire form, then put through the checks the service runs before it
// touches the catalog: record validation (seizure, specimen, scan metadata, CITES mark),
// template loading for template probes, image intake for image probes and the ANSI/NIST
// readers plus latent import for Import. Only tuskprint::Error may escape.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ansinist/latent_import.hpp"
#include "ansinist/traditional.hpp"
#include "ansinist/xml.hpp"
#include "catalog/cites_mark.hpp"
#include "catalog/validation.hpp"
#include <opencv2/core/utils/logger.hpp>

#include "core/error.hpp"
#include "image/decode.hpp"
#include "ridge/template_io.hpp"
#include "tuskprint/v1/service.pb.h"

namespace {
namespace v1 = tuskprint::v1;

template <typename Check>
void guarded(Check&& check) {
  try {
    check();
  } catch (const tuskprint::Error&) {
  }
}

tuskprint::image::DecodeLimits probe_limits() {
  tuskprint::image::DecodeLimits limits;
  limits.max_bytes = 1u << 20;
  limits.max_pixels = 4'000'000;
  return limits;
}

void check_probe(const v1::Probe& probe) {
  switch (probe.source_case()) {
    case v1::Probe::kFingerTemplate:
      guarded([&] { (void)tuskprint::ridge::from_proto(probe.finger_template()); });
      break;
    case v1::Probe::kImage:
      guarded([&] { (void)tuskprint::image::decode(probe.image().data(), probe_limits()); });
      break;
    default:
      break;
  }
}

void check_import(const v1::ImportRequest& request) {
  const std::string& data = request.data();
  const auto first = data.find_first_not_of(" \t\r\n");
  const bool xml = first != std::string::npos && data[first] == '<';
  guarded([&] {
    const auto transaction = xml ? tuskprint::ansinist::read_xml(data)
                                 : tuskprint::ansinist::read_traditional(data);
    (void)tuskprint::ansinist::import_latent(transaction, request.idc() == 0 ? -1 : request.idc());
  });
}

}  // namespace

// OpenCV logs every decoder complaint to stderr; the fuzzer only needs the verdicts.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0: {
      v1::SubmitScanChunk chunk;
      if (chunk.ParseFromString(body) && chunk.has_metadata()) {
        guarded([&] { tuskprint::catalog::validate_scan_metadata(chunk.metadata()); });
      }
      break;
    }
    case 1: {
      v1::SearchRequest request;
      if (request.ParseFromString(body)) check_probe(request.probe());
      break;
    }
    case 2: {
      v1::VerifyRequest request;
      if (request.ParseFromString(body)) {
        check_probe(request.a());
        check_probe(request.b());
      }
      break;
    }
    case 3: {
      v1::ImportRequest request;
      if (request.ParseFromString(body)) check_import(request);
      break;
    }
    case 4: {
      v1::CreateSeizureRequest request;
      if (request.ParseFromString(body)) {
        guarded([&] { tuskprint::catalog::validate_seizure(request.seizure()); });
      }
      break;
    }
    default: {
      v1::AddSpecimenRequest request;
      if (request.ParseFromString(body)) {
        guarded([&] { tuskprint::catalog::validate_specimen(request.specimen()); });
        guarded([&] { (void)tuskprint::catalog::parse_cites_mark(request.specimen().cites_mark_text()); });
      }
      break;
    }
  }
  return 0;
}
