// Writes seed corpora for fuzz_image_decode and fuzz_requests (small valid inputs of every
// kind), so that fuzzing starts from the formats instead of from nothing.
//   fuzz_seeds IMAGE_DIR REQUEST_DIR
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "ridge/params.hpp"
#include "ridge/template_io.hpp"
#include "tuskprint/v1/service.pb.h"

namespace {
namespace fs = std::filesystem;
namespace v1 = tuskprint::v1;

void write(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

cv::Mat pattern(int width, int height, int type) {
  cv::Mat grey(height, width, CV_8U);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) grey.at<std::uint8_t>(y, x) = std::uint8_t((x * 7 + y * 13) % 256);
  }
  cv::Mat out;
  if (type == CV_8UC3) {
    cv::cvtColor(grey, out, cv::COLOR_GRAY2BGR);
  } else if (type == CV_16U) {
    grey.convertTo(out, CV_16U, 256);
  } else {
    out = grey;
  }
  return out;
}

std::string encoded(const std::string& ext, const cv::Mat& image) {
  std::vector<unsigned char> bytes;
  try {
    if (!cv::imencode(ext, image, bytes)) return {};
  } catch (const cv::Exception&) {
    return {};  // this OpenCV build has no encoder for the format
  }
  return std::string(bytes.begin(), bytes.end());
}

std::string request(char selector, const google::protobuf::Message& message) {
  return std::string(1, selector) + message.SerializeAsString();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: fuzz_seeds IMAGE_DIR REQUEST_DIR\n";
    return 2;
  }
  const fs::path images = argv[1], requests = argv[2];
  fs::create_directories(images);
  fs::create_directories(requests);

  std::vector<std::string> image_seeds;
  for (const char* ext : {".png", ".jpg", ".tif", ".bmp", ".jp2"}) {
    for (int type : {CV_8U, CV_8UC3, CV_16U}) {
      // JPEG 2000 needs a few resolution levels' worth of pixels.
      const bool jp2 = std::string(ext) == ".jp2";
      std::string bytes = encoded(ext, pattern(jp2 ? 64 : 24, jp2 ? 48 : 20, type));
      if (bytes.empty()) continue;
      write(images / ("seed" + std::to_string(image_seeds.size()) + ext), bytes);
      image_seeds.push_back(std::move(bytes));
    }
  }

  v1::SubmitScanChunk chunk;
  auto* m = chunk.mutable_metadata();
  m->set_seizure_id("SZ-0000000001");
  m->set_kind(v1::SCAN_KIND_LATENT_LIFT);
  m->set_ppi(1000);
  m->set_operator_name("fuzz");
  m->set_expected_sha256(std::string(64, 'a'));
  write(requests / "submit", request(0, chunk));

  tuskprint::ridge::FingerTemplate finger;
  finger.extractor_version = tuskprint::ridge::kExtractorVersion;
  finger.parameters_hash = tuskprint::ridge::parameters_hash();
  finger.width = 400;
  finger.height = 500;
  finger.source_ppi = 500;
  for (int i = 0; i < 12; ++i) {
    finger.minutiae.push_back({float(20 + 25 * i), float(40 + 30 * (i % 5)), 0.4f * float(i),
                               tuskprint::ridge::MinutiaType::kEnding, 0.8f});
  }
  v1::SearchRequest search;
  *search.mutable_probe()->mutable_finger_template() = tuskprint::ridge::to_proto(finger);
  search.set_top_k(10);
  write(requests / "search-template", request(1, search));
  if (!image_seeds.empty()) {
    v1::SearchRequest by_image;
    by_image.mutable_probe()->mutable_image()->set_data(image_seeds.front());
    by_image.mutable_probe()->mutable_image()->set_ppi(500);
    write(requests / "search-image", request(1, by_image));
  }
  v1::VerifyRequest verify;
  *verify.mutable_a()->mutable_finger_template() = tuskprint::ridge::to_proto(finger);
  verify.mutable_b()->set_scan_id("SC-0000000001");
  write(requests / "verify", request(2, verify));

  v1::ImportRequest import;
  import.set_data("1.001:120\x1d" "1.002:0502\x1c");
  write(requests / "import-traditional", request(3, import));
  import.set_data("<?xml version=\"1.0\"?><itl:NISTBiometricInformationExchangePackage/>");
  write(requests / "import-xml", request(3, import));

  v1::CreateSeizureRequest seizure;
  seizure.mutable_seizure()->set_date("2024-02-29");
  seizure.mutable_seizure()->set_discovering_country("KE");
  seizure.mutable_seizure()->add_origin_countries("TZ");
  write(requests / "create-seizure", request(4, seizure));

  v1::AddSpecimenRequest specimen;
  specimen.mutable_specimen()->set_seizure_id("SZ-0000000001");
  specimen.mutable_specimen()->set_cites_mark_text("KE 00/127/14");
  specimen.mutable_specimen()->set_kind(v1::SPECIMEN_KIND_WHOLE_TUSK);
  write(requests / "add-specimen", request(5, specimen));
  std::cout << image_seeds.size() << " image seeds, 8 request seeds\n";
  return 0;
}
