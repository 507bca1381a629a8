// `tuskprint an2 ...`: offline ANSI/NIST-ITL tools (INTERPOL INT-I v6).
//   an2 dump FILE                      every record and field, binary data as "<N bytes>"
//   an2 mps --image IMG --ppi N (--template T.tpl | --minutiae M.json) -o OUT [--format an2|xml]
//   an2 import FILE --out-image X.png [--json]
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "ansinist/dump.hpp"
#include "ansinist/latent_import.hpp"
#include "ansinist/mps.hpp"
#include "ansinist/traditional.hpp"
#include "ansinist/xml.hpp"
#include "cli/command_registry.hpp"
#include "core/error.hpp"
#include "image/decode.hpp"

#if __has_include("ridge/template_io.hpp")
#include "ridge/template_io.hpp"
#define TUSKPRINT_AN2_HAVE_TEMPLATE_IO 1
#endif

namespace tuskprint::cli {
namespace {

namespace an2 = tuskprint::ansinist;

bool looks_like_xml(const std::string& bytes) {
  const auto first = bytes.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  return first != std::string::npos && bytes[first] == '<';
}

an2::Transaction read_any(const std::string& path) {
  const std::string bytes = image::read_file_bytes(path);
  TP_CHECK(!bytes.empty(), kInvalidArgument, path << ": empty file, not an ANSI/NIST-ITL transaction");
  return looks_like_xml(bytes) ? an2::read_xml(bytes) : an2::read_traditional(bytes);
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  TP_CHECK(out.good(), kInternal, "cannot write " << path);
}

// {"ppi": 500, "minutiae": [{"x": 10.5, "y": 20, "direction": 1.57, "type": "ending"}, ...]}
ridge::FingerTemplate template_from_json(const std::string& path) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(image::read_file_bytes(path));
  } catch (const nlohmann::json::exception& e) {
    TP_THROW(kInvalidArgument, path << ": not valid JSON: " << e.what());
  }
  TP_CHECK(j.is_object() && j.contains("minutiae") && j["minutiae"].is_array(), kInvalidArgument,
           path << ": expected an object with a \"minutiae\" array");
  ridge::FingerTemplate t;
  t.ppi = j.value("ppi", 500);
  for (const auto& m : j["minutiae"]) {
    TP_CHECK(m.is_object() && m.contains("x") && m.contains("y") && m.contains("direction"), kInvalidArgument,
             path << ": every minutia needs x, y and direction");
    ridge::Minutia mm;
    mm.x = m["x"].get<float>();
    mm.y = m["y"].get<float>();
    mm.direction = m["direction"].get<float>();
    const std::string type = m.value("type", "ending");
    mm.type = type == "ending"        ? ridge::MinutiaType::kEnding
              : type == "bifurcation" ? ridge::MinutiaType::kBifurcation
                                      : ridge::MinutiaType::kOther;
    t.minutiae.push_back(mm);
  }
  return t;
}

const char* type_name(ridge::MinutiaType t) {
  return t == ridge::MinutiaType::kEnding ? "ending" : t == ridge::MinutiaType::kBifurcation ? "bifurcation" : "other";
}

// The imported latent as PNG: PNG data as stored, raw grey re-encoded, anything OpenCV reads
// converted; other compressions (WSQ) are refused with the codec's name.
std::string latent_png(const an2::LatentImport& l) {
  if (l.compression == "PNG") return l.image;
  cv::Mat grey;
  if (l.compression == "NONE") {
    TP_CHECK(l.bits_per_pixel == 8, kInvalidArgument,
             "uncompressed latent has " << l.bits_per_pixel << " bits per pixel; only 8 is supported");
    grey = cv::Mat(l.height, l.width, CV_8UC1, const_cast<char*>(l.image.data())).clone();
  } else {
    try {
      grey = image::decode(l.image).grey;
    } catch (const Error& e) {
      TP_THROW(kInvalidArgument, "latent image compressed as " << l.compression << " cannot be decoded: " << e.what());
    }
  }
  std::vector<unsigned char> png;
  TP_CHECK(cv::imencode(".png", grey, png), kInternal, "PNG encoding failed");
  return std::string(png.begin(), png.end());
}

struct MpsOptions {
  std::string image, template_path, minutiae_json, photo, out, format = "an2";
  int ppi = 0, finger = 0;
  unsigned long long tcn_serial = 0;
  an2::MpsInput input;
};

void install(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("an2", "ANSI/NIST-ITL (INTERPOL INT-I v6) export and import, offline");
  group->require_subcommand(1);

  auto* dump = group->add_subcommand("dump", "Print every record and field of a traditional or XML file");
  static std::string dump_path;
  dump->add_option("file", dump_path, "ANSI/NIST-ITL file (.an2/.eft/.lffs or .xml)")->required();
  dump->callback([&ctx] {
    ctx.exit_code = run_guarded([] {
      std::cout << an2::dump(read_any(dump_path));
      return 0;
    });
  });

  auto* mps = group->add_subcommand("mps", "Build an INT-I MPS (latent-to-print search) transaction");
  static MpsOptions o;
  mps->add_option("--image", o.image, "latent image (PNG preferred; stored lossless)")->required();
  mps->add_option("--ppi", o.ppi, "native resolution of the image")->required();
#ifdef TUSKPRINT_AN2_HAVE_TEMPLATE_IO
  mps->add_option("--template", o.template_path, "TuskPrint template file (.tpl)");
#endif
  mps->add_option("--minutiae", o.minutiae_json,
                  "minutiae as JSON {\"ppi\":500,\"minutiae\":[{\"x\",\"y\",\"direction\",\"type\"}]}");
  mps->add_option("-o,--output", o.out, "output file")->required();
  mps->add_option("--format", o.format, "an2 (traditional) or xml")->check(CLI::IsMember({"an2", "xml"}));
  mps->add_option("--case-country", o.input.case_country, "2.007 CNO country (ISO 3166 alpha-3)")->required();
  mps->add_option("--case", o.input.case_reference, "2.007 CNO case reference")->required();
  mps->add_option("--evidence", o.input.evidence_id, "2.008 SQN evidence identifier")->required();
  mps->add_option("--latent-id", o.input.latent_id, "2.009 MID latent identifier")->required();
  mps->add_option("--ori", o.input.origin.id, "1.008 ORI originating agency identifier")->required();
  mps->add_option("--ori-name", o.input.origin.name, "1.017 originating agency name")->required();
  mps->add_option("--ori-country", o.input.origin.country, "originating country (ISO 3166 alpha-3)")->required();
  mps->add_option("--dai", o.input.destination.id, "1.007 DAI destination agency identifier")->default_val("INT");
  mps->add_option("--dai-name", o.input.destination.name, "1.017 destination agency name")->default_val("INTERPOL");
  mps->add_option("--dai-country", o.input.destination.country, "destination country code")->default_val("XPO");
  mps->add_option("--tcn-serial", o.tcn_serial, "12-digit serial of 1.009 TCN")->required();
  mps->add_option("--finger", o.finger, "finger position code (0 = unknown)");
  mps->add_option("--photo", o.photo, "optional photo of the ivory piece (Type-20)");
  mps->callback([&ctx] {
    ctx.exit_code = run_guarded([] {
      TP_CHECK(o.template_path.empty() != o.minutiae_json.empty(), kInvalidArgument,
               "give exactly one of --template or --minutiae");
      an2::MpsInput& in = o.input;
#ifdef TUSKPRINT_AN2_HAVE_TEMPLATE_IO
      in.features = o.template_path.empty() ? template_from_json(o.minutiae_json) : ridge::load_template(o.template_path);
#else
      in.features = template_from_json(o.minutiae_json);
#endif
      in.image = image::read_file_bytes(o.image);
      const image::DecodedImage decoded = image::decode(in.image);
      in.media_type = decoded.media_type;
      in.width = decoded.width;
      in.height = decoded.height;
      in.ppi = o.ppi;
      in.finger_position = o.finger;
      in.tcn_serial = o.tcn_serial;
      if (!o.photo.empty()) {
        an2::SourcePhoto photo;
        photo.bytes = image::read_file_bytes(o.photo);
        const std::string media = image::decode(photo.bytes).media_type;
        photo.file_type = media == "image/png" ? "PNG" : media == "image/jpeg" ? "JPG" : media == "image/tiff" ? "TIF"
                          : media == "image/jp2" ? "JP2" : "BMP";
        in.photo = photo;
      }
      const an2::Transaction t = an2::build_mps(in);
      write_bytes(o.out, o.format == "xml" ? an2::write_xml(t) : an2::write_traditional(t));
      std::cout << "wrote " << o.out << " (" << o.format << ", TCN " << t.records.front().value(9) << ", "
                << in.features.minutiae.size() << " minutiae)\n";
      return 0;
    });
  });

  auto* imp = group->add_subcommand("import", "Extract the Type-13 latent (and Type-9 EFS minutiae)");
  static std::string import_path, out_image;
  static bool as_json = false;
  imp->add_option("file", import_path, "ANSI/NIST-ITL file (traditional or XML)")->required();
  imp->add_option("--out-image", out_image, "write the latent image as PNG")->required();
  imp->add_flag("--json", as_json, "print the result as JSON");
  imp->callback([&ctx] {
    ctx.exit_code = run_guarded([] {
      const an2::LatentImport l = an2::import_latent(read_any(import_path));
      write_bytes(out_image, latent_png(l));
      if (as_json) {
        nlohmann::json j{{"width", l.width},       {"height", l.height},         {"ppi", l.ppi},
                         {"compression", l.compression}, {"idc", l.idc},        {"source_agency", l.source_agency},
                         {"capture_date", l.capture_date}, {"image", out_image}, {"minutiae_ppi", an2::kTemplatePpi},
                         {"has_minutiae", l.has_minutiae}, {"minutiae", nlohmann::json::array()}};
        for (const auto& m : l.minutiae)
          j["minutiae"].push_back({{"x", m.x}, {"y", m.y}, {"direction", m.direction}, {"type", type_name(m.type)}});
        std::cout << j.dump(2) << "\n";
      } else {
        std::cout << "latent " << l.width << "x" << l.height << " at " << l.ppi << " ppi (" << l.compression
                  << ") -> " << out_image << "; " << (l.has_minutiae ? std::to_string(l.minutiae.size()) : "no")
                  << " EFS minutiae\n";
      }
      return 0;
    });
  });
}

const bool registered = register_commands("an2", install);

}  // namespace
}  // namespace tuskprint::cli
