#pragma once
// FingerTemplate <-> tuskprint.v1.FingerTemplate, and template files.
//
// File layout (little-endian): the 8-byte tag "TPFTPL01" (format 01), a uint32 payload
// length, the 64-character lower-case hex SHA-256 of the payload, then the payload (the
// serialised proto). Reads check every part and fail with a message naming what is wrong.
//
// Loading checks that the template was made by the running extractor: a different
// extractor_version or parameters_hash throws Error(kFailedPrecondition) naming both,
// because minutiae from another extractor would score silently wrong.
#include <string>
#include <string_view>

#include "ridge/params.hpp"
#include "ridge/template.hpp"
#include "tuskprint/v1/features.pb.h"

namespace tuskprint::ridge {

inline constexpr std::string_view kTemplateFileTag = "TPFTPL01";

tuskprint::v1::FingerTemplate to_proto(const FingerTemplate& t);

// Checks versions against the extractor configured with `expected` (default: running).
FingerTemplate from_proto(const tuskprint::v1::FingerTemplate& message,
                          const Params& expected = default_params());

// Throws Error(kFailedPrecondition) when `t` was not made by kExtractorVersion with
// `expected` parameters.
void check_template_versions(const std::string& extractor_version,
                             const std::string& parameters_hash,
                             const Params& expected = default_params());

// Whole-file bytes and back. decode throws Error(kInvalidArgument) for bytes that are
// not a template file, Error(kDataLoss) for a truncated or corrupted one.
std::string encode_template_file(const FingerTemplate& t);
FingerTemplate decode_template_file(std::string_view bytes, const Params& expected = default_params());

// Disk I/O: kInternal when the file cannot be written, kNotFound when it does not exist.
void save_template(const FingerTemplate& t, const std::string& path);
FingerTemplate load_template(const std::string& path, const Params& expected = default_params());

}  // namespace tuskprint::ridge
