#include "datasets/fingerprints/template_file.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <numbers>

#include "core/error.hpp"

namespace tuskprint::synth {
namespace {
constexpr char kMagic[8] = {'T', 'P', 'S', 'Y', 'N', 'T', 'P', 'L'};
constexpr char kTrailer[8] = {'T', 'P', 'S', 'Y', 'N', 'E', 'N', 'D'};
constexpr std::uint32_t kMaxMinutiae = 10000;
constexpr std::uint32_t kMaxString = 4096;

class Writer {
 public:
  void u8(std::uint8_t v) { buf_.push_back(static_cast<char>(v)); }
  void u16(std::uint16_t v) { little(v, 2); }
  void u32(std::uint32_t v) { little(v, 4); }
  void u64(std::uint64_t v) { little(v, 8); }
  void f32(float v) { u32(std::bit_cast<std::uint32_t>(v)); }
  void str(const std::string& s) {
    u32(static_cast<std::uint32_t>(s.size()));
    buf_ += s;
  }
  void raw(const char* p, std::size_t n) { buf_.append(p, n); }
  void flush_to(std::ostream& out) {
    out.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }

 private:
  void little(std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) buf_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
  std::string buf_;
};

class Reader {
 public:
  explicit Reader(std::istream& in) : in_(in) {}
  void bytes(char* p, std::size_t n, const char* what) {
    in_.read(p, static_cast<std::streamsize>(n));
    TP_CHECK(static_cast<std::size_t>(in_.gcount()) == n, kDataLoss,
             "synthetic template file is truncated (while reading " << what << ")");
  }
  std::uint64_t little(int n, const char* what) {
    unsigned char b[8] = {};
    bytes(reinterpret_cast<char*>(b), static_cast<std::size_t>(n), what);
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(b[i]) << (8 * i);
    return v;
  }
  std::uint8_t u8(const char* what) { return static_cast<std::uint8_t>(little(1, what)); }
  std::uint16_t u16(const char* what) { return static_cast<std::uint16_t>(little(2, what)); }
  std::uint32_t u32(const char* what) { return static_cast<std::uint32_t>(little(4, what)); }
  std::uint64_t u64(const char* what) { return little(8, what); }
  float f32(const char* what) { return std::bit_cast<float>(u32(what)); }
  std::string str(const char* what) {
    const std::uint32_t n = u32(what);
    TP_CHECK(n <= kMaxString, kDataLoss, "synthetic template file: " << what << " length " << n << " is implausible");
    std::string s(n, '\0');
    if (n > 0) bytes(s.data(), n, what);
    return s;
  }

 private:
  std::istream& in_;
};

std::uint16_t checked_u16(int v, const char* what) {
  TP_CHECK(v >= 0 && v <= 65535, kInvalidArgument, what << " " << v << " does not fit the template file");
  return static_cast<std::uint16_t>(v);
}
}  // namespace

void write_templates(std::ostream& out, const TemplateFileHeader& header,
                     const std::vector<SyntheticTemplate>& templates) {
  Writer w;
  w.raw(kMagic, sizeof kMagic);
  w.u32(kTemplateFileVersion);
  w.str(header.generator);
  w.str(header.parameters_hash);
  w.u64(header.seed);
  w.u32(header.fingers);
  w.u32(header.mates);
  w.u64(templates.size());
  for (const SyntheticTemplate& s : templates) {
    TP_CHECK(s.tpl.minutiae.size() <= kMaxMinutiae, kInvalidArgument,
             "template of finger " << s.finger_id << " has " << s.tpl.minutiae.size() << " minutiae (max " << kMaxMinutiae << ")");
    w.u32(s.finger_id);
    w.u32(s.mate_index);
    w.u16(checked_u16(s.tpl.width, "width"));
    w.u16(checked_u16(s.tpl.height, "height"));
    w.u16(checked_u16(s.tpl.ppi, "ppi"));
    w.u16(checked_u16(s.tpl.source_ppi, "source ppi"));
    w.f32(s.tpl.quality);
    w.u32(static_cast<std::uint32_t>(s.tpl.minutiae.size()));
    for (const ridge::Minutia& m : s.tpl.minutiae) {
      w.f32(m.x);
      w.f32(m.y);
      w.f32(m.direction);
      w.u8(static_cast<std::uint8_t>(m.type));
      w.f32(m.quality);
    }
    w.flush_to(out);
  }
  w.raw(kTrailer, sizeof kTrailer);
  w.u64(templates.size());
  w.flush_to(out);
  TP_CHECK(out.good(), kInternal, "writing the synthetic template file failed");
}

TemplateFile read_templates(std::istream& in) {
  Reader r(in);
  char magic[8] = {};
  r.bytes(magic, sizeof magic, "magic");
  TP_CHECK(std::memcmp(magic, kMagic, sizeof kMagic) == 0, kDataLoss,
           "not a TuskPrint synthetic template file (bad magic)");
  const std::uint32_t version = r.u32("version");
  TP_CHECK(version == kTemplateFileVersion, kFailedPrecondition,
           "synthetic template file version " << version << " is not supported (this build reads "
                                              << kTemplateFileVersion << ")");
  TemplateFile file;
  file.header.generator = r.str("generator");
  file.header.parameters_hash = r.str("parameters hash");
  file.header.seed = r.u64("seed");
  file.header.fingers = r.u32("finger count");
  file.header.mates = r.u32("mate count");
  const std::uint64_t count = r.u64("template count");
  TP_CHECK(count <= 100'000'000ULL, kDataLoss, "synthetic template file claims " << count << " templates");
  file.templates.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(count, 1'000'000)));
  for (std::uint64_t i = 0; i < count; ++i) {
    SyntheticTemplate s;
    s.finger_id = r.u32("finger id");
    s.mate_index = r.u32("mate index");
    s.tpl.extractor_version = file.header.generator;
    s.tpl.parameters_hash = file.header.parameters_hash;
    s.tpl.width = r.u16("width");
    s.tpl.height = r.u16("height");
    s.tpl.ppi = r.u16("ppi");
    s.tpl.source_ppi = r.u16("source ppi");
    s.tpl.quality = r.f32("quality");
    const std::uint32_t n = r.u32("minutia count");
    TP_CHECK(n <= kMaxMinutiae, kDataLoss, "template " << i << " claims " << n << " minutiae");
    s.tpl.minutiae.resize(n);
    for (ridge::Minutia& m : s.tpl.minutiae) {
      m.x = r.f32("minutia x");
      m.y = r.f32("minutia y");
      m.direction = r.f32("minutia direction");
      const std::uint8_t type = r.u8("minutia type");
      m.quality = r.f32("minutia quality");
      TP_CHECK(type >= 1 && type <= 3, kDataLoss, "template " << i << ": minutia type " << int(type) << " is invalid");
      TP_CHECK(std::isfinite(m.x) && std::isfinite(m.y) && m.direction >= 0 &&
                   m.direction < static_cast<float>(2 * std::numbers::pi),
               kDataLoss, "template " << i << ": minutia position or direction is invalid");
      m.type = static_cast<ridge::MinutiaType>(type);
    }
    file.templates.push_back(std::move(s));
  }
  char trailer[8] = {};
  r.bytes(trailer, sizeof trailer, "trailer");
  TP_CHECK(std::memcmp(trailer, kTrailer, sizeof kTrailer) == 0, kDataLoss,
           "synthetic template file: trailer missing after " << count << " templates");
  TP_CHECK(r.u64("trailer count") == count, kDataLoss, "synthetic template file: trailer count mismatch");
  return file;
}

void write_template_file(const std::filesystem::path& path, const TemplateFileHeader& header,
                         const std::vector<SyntheticTemplate>& templates) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  TP_CHECK(out.is_open(), kInvalidArgument, "cannot create template file '" << path.string() << "'");
  write_templates(out, header, templates);
  out.close();
  TP_CHECK(!out.fail(), kInternal, "closing template file '" << path.string() << "' failed");
}

TemplateFile read_template_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  TP_CHECK(in.is_open(), kNotFound, "cannot open template file '" << path.string() << "'");
  return read_templates(in);
}

}  // namespace tuskprint::synth
