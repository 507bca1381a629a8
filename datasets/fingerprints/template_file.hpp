#pragma once
// Binary file of synthetic templates ("TPSYNTPL", version 1), read with checked reads.
// Little-endian throughout:
//   magic "TPSYNTPL" | u32 version | str generator | str parameters_hash | u64 seed |
//   u32 fingers | u32 mates | u64 count | count x record | "TPSYNEND" | u64 count
//   record  = u32 finger_id | u32 mate_index | u16 width | u16 height | u16 ppi |
//             u16 source_ppi | f32 quality | u32 n | n x minutia
//   minutia = f32 x | f32 y | f32 direction | u8 type | f32 quality
//   str     = u32 length | bytes
// Every template read back carries the file's generator as extractor_version and its
// parameters hash.
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "datasets/fingerprints/template_model.hpp"

namespace tuskprint::synth {

struct TemplateFileHeader {
  std::string generator = kTemplateModelVersion;
  std::string parameters_hash;
  std::uint64_t seed = 0;
  std::uint32_t fingers = 0;
  std::uint32_t mates = 0;
};

struct TemplateFile {
  TemplateFileHeader header;
  std::vector<SyntheticTemplate> templates;
};

inline constexpr std::uint32_t kTemplateFileVersion = 1;

void write_templates(std::ostream& out, const TemplateFileHeader& header,
                     const std::vector<SyntheticTemplate>& templates);
// Throws kDataLoss for a file that is not one of ours, truncated or inconsistent, and
// kFailedPrecondition for a newer version.
TemplateFile read_templates(std::istream& in);

// File wrappers: kInvalidArgument when the file cannot be created, kNotFound when it is
// missing.
void write_template_file(const std::filesystem::path& path, const TemplateFileHeader& header,
                         const std::vector<SyntheticTemplate>& templates);
TemplateFile read_template_file(const std::filesystem::path& path);

}  // namespace tuskprint::synth
