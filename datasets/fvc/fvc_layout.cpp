#include "datasets/fvc/fvc_layout.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

#include "core/error.hpp"

namespace tuskprint::datasets::fvc {
namespace {

bool is_image_extension(std::string ext) {
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == "tif" || ext == "tiff" || ext == "png" || ext == "bmp" || ext == "jpg" ||
         ext == "jpeg";
}

bool parse_positive_int(const std::string& text, int& value) {
  if (text.empty() || text.size() > 9) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  value = std::stoi(text);
  return true;
}

}  // namespace

bool parse_file_name(const std::string& file_name, int& finger, int& impression) {
  const auto underscore = file_name.find('_');
  const auto dot = file_name.rfind('.');
  if (underscore == std::string::npos || dot == std::string::npos || dot < underscore) return false;
  if (!is_image_extension(file_name.substr(dot + 1))) return false;
  return parse_positive_int(file_name.substr(0, underscore), finger) &&
         parse_positive_int(file_name.substr(underscore + 1, dot - underscore - 1), impression);
}

std::vector<FvcImage> list_images(const std::string& directory) {
  namespace fs = std::filesystem;
  std::error_code ec;
  TP_CHECK(fs::is_directory(directory, ec), kNotFound, "FVC directory '" << directory << "' does not exist or is not a directory");
  std::vector<FvcImage> images;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    FvcImage image;
    image.file_name = entry.path().filename().string();
    if (!parse_file_name(image.file_name, image.finger, image.impression)) continue;
    image.path = entry.path().string();
    images.push_back(std::move(image));
  }
  TP_CHECK(!ec, kInternal, "cannot list '" << directory << "': " << ec.message());
  TP_CHECK(!images.empty(), kInvalidArgument,
           "no FVC images (<finger>_<impression>.tif|tiff|png|bmp|jpg) in '" << directory << "'");
  std::sort(images.begin(), images.end(), [](const FvcImage& a, const FvcImage& b) {
    return a.finger != b.finger ? a.finger < b.finger : a.impression < b.impression;
  });
  for (std::size_t i = 1; i < images.size(); ++i) {
    TP_CHECK(images[i].finger != images[i - 1].finger || images[i].impression != images[i - 1].impression,
             kInvalidArgument,
             "two files for finger " << images[i].finger << " impression " << images[i].impression << ": '"
                                     << images[i - 1].file_name << "' and '" << images[i].file_name << "'");
  }
  return images;
}

}  // namespace tuskprint::datasets::fvc
