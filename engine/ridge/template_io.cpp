#include "ridge/template_io.hpp"

#include <cstring>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "core/sha256.hpp"

namespace tuskprint::ridge {
namespace {

constexpr std::size_t kLengthBytes = 4;
constexpr std::size_t kDigestChars = 64;
constexpr std::size_t kHeaderBytes = kTemplateFileTag.size() + kLengthBytes + kDigestChars;

v1::MinutiaType to_proto(MinutiaType type) {
  switch (type) {
    case MinutiaType::kEnding: return v1::MINUTIA_TYPE_ENDING;
    case MinutiaType::kBifurcation: return v1::MINUTIA_TYPE_BIFURCATION;
    case MinutiaType::kOther: return v1::MINUTIA_TYPE_OTHER;
  }
  return v1::MINUTIA_TYPE_UNSPECIFIED;
}

MinutiaType from_proto(v1::MinutiaType type, int index) {
  switch (type) {
    case v1::MINUTIA_TYPE_ENDING: return MinutiaType::kEnding;
    case v1::MINUTIA_TYPE_BIFURCATION: return MinutiaType::kBifurcation;
    case v1::MINUTIA_TYPE_OTHER: return MinutiaType::kOther;
    default: break;
  }
  TP_THROW(kInvalidArgument, "template minutia " << index << " has no valid type (" << type << ")");
}

std::string short_hash(const std::string& hash) {
  return hash.empty() ? "<none>" : hash.substr(0, 16);
}

}  // namespace

void check_template_versions(const std::string& extractor_version,
                             const std::string& parameters_hash_value, const Params& expected) {
  const std::string running_hash = parameters_hash(expected);
  TP_CHECK(extractor_version == kExtractorVersion && parameters_hash_value == running_hash,
           kFailedPrecondition,
           "template was made by extractor " << (extractor_version.empty() ? "<none>" : extractor_version)
               << " with parameters " << short_hash(parameters_hash_value)
               << ", but the running extractor is " << kExtractorVersion << " with parameters "
               << short_hash(running_hash) << "; re-extract the print");
}

v1::FingerTemplate to_proto(const FingerTemplate& t) {
  v1::FingerTemplate m;
  m.set_extractor_version(t.extractor_version);
  m.set_parameters_hash(t.parameters_hash);
  m.set_width(static_cast<std::uint32_t>(t.width));
  m.set_height(static_cast<std::uint32_t>(t.height));
  m.set_ppi(static_cast<std::uint32_t>(t.ppi));
  m.set_source_ppi(static_cast<std::uint32_t>(t.source_ppi));
  m.set_quality(t.quality);
  m.set_too_poor_to_search(t.too_poor_to_search);
  m.set_quality_reason(t.quality_reason);
  for (const Minutia& x : t.minutiae) {
    v1::Minutia* pm = m.add_minutiae();
    pm->set_x(x.x);
    pm->set_y(x.y);
    pm->set_direction(x.direction);
    pm->set_type(to_proto(x.type));
    pm->set_quality(x.quality);
  }
  m.set_mask_block_size(static_cast<std::uint32_t>(t.mask_block_size));
  m.set_foreground_mask(std::string(t.foreground_mask.begin(), t.foreground_mask.end()));
  return m;
}

FingerTemplate from_proto(const v1::FingerTemplate& m, const Params& expected) {
  check_template_versions(m.extractor_version(), m.parameters_hash(), expected);
  FingerTemplate t;
  t.extractor_version = m.extractor_version();
  t.parameters_hash = m.parameters_hash();
  t.width = static_cast<int>(m.width());
  t.height = static_cast<int>(m.height());
  t.ppi = static_cast<int>(m.ppi());
  t.source_ppi = static_cast<int>(m.source_ppi());
  t.quality = m.quality();
  t.too_poor_to_search = m.too_poor_to_search();
  t.quality_reason = m.quality_reason();
  t.minutiae.reserve(m.minutiae_size());
  for (int i = 0; i < m.minutiae_size(); ++i) {
    const v1::Minutia& pm = m.minutiae(i);
    Minutia x;
    x.x = pm.x();
    x.y = pm.y();
    x.direction = pm.direction();
    x.type = from_proto(pm.type(), i);
    x.quality = pm.quality();
    t.minutiae.push_back(x);
  }
  t.mask_block_size = static_cast<int>(m.mask_block_size());
  t.foreground_mask.assign(m.foreground_mask().begin(), m.foreground_mask().end());
  if (t.mask_block_size > 0 && !t.foreground_mask.empty()) {
    const std::size_t rows = (t.height + t.mask_block_size - 1) / t.mask_block_size;
    const std::size_t cols = (t.width + t.mask_block_size - 1) / t.mask_block_size;
    TP_CHECK(t.foreground_mask.size() == rows * cols, kDataLoss,
             "template foreground mask has " << t.foreground_mask.size() << " blocks, expected "
                                             << rows * cols);
  }
  return t;
}

std::string encode_template_file(const FingerTemplate& t) {
  std::string payload;
  TP_CHECK(to_proto(t).SerializeToString(&payload), kInternal, "cannot serialise template");
  std::string out(kTemplateFileTag);
  const auto length = static_cast<std::uint32_t>(payload.size());
  for (std::size_t i = 0; i < kLengthBytes; ++i) out.push_back(static_cast<char>((length >> (8 * i)) & 0xff));
  out += sha256_hex(payload);
  out += payload;
  return out;
}

FingerTemplate decode_template_file(std::string_view bytes, const Params& expected) {
  TP_CHECK(bytes.size() >= kTemplateFileTag.size() &&
               bytes.substr(0, kTemplateFileTag.size()) == kTemplateFileTag,
           kInvalidArgument, "not a TuskPrint template file (missing tag " << kTemplateFileTag << ")");
  TP_CHECK(bytes.size() >= kHeaderBytes, kDataLoss,
           "template file is truncated: " << bytes.size() << " bytes, header needs " << kHeaderBytes);
  std::uint32_t length = 0;
  for (std::size_t i = 0; i < kLengthBytes; ++i)
    length |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[kTemplateFileTag.size() + i]))
              << (8 * i);
  const std::string_view digest = bytes.substr(kTemplateFileTag.size() + kLengthBytes, kDigestChars);
  const std::string_view payload = bytes.substr(kHeaderBytes);
  TP_CHECK(payload.size() == length, kDataLoss,
           "template file payload is " << payload.size() << " bytes, header says " << length);
  TP_CHECK(sha256_hex(payload) == digest, kDataLoss, "template file checksum mismatch (corrupted)");
  v1::FingerTemplate message;
  TP_CHECK(message.ParseFromArray(payload.data(), static_cast<int>(payload.size())), kDataLoss,
           "template file payload is not a valid FingerTemplate message");
  return from_proto(message, expected);
}

void save_template(const FingerTemplate& t, const std::string& path) {
  const std::string bytes = encode_template_file(t);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  TP_CHECK(out.good(), kInternal, "cannot open template file '" << path << "' for writing");
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  TP_CHECK(out.good(), kInternal, "cannot write template file '" << path << "'");
}

FingerTemplate load_template(const std::string& path, const Params& expected) {
  std::ifstream in(path, std::ios::binary);
  TP_CHECK(in.good(), kNotFound, "template file '" << path << "' does not exist or cannot be read");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  try {
    return decode_template_file(buffer.str(), expected);
  } catch (const Error& e) {
    throw Error(e.code(), "template file '" + path + "': " + e.what());
  }
}

}  // namespace tuskprint::ridge
