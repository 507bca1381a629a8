#pragma once
// FVC database folders: images named `<finger>_<impression>.<ext>` (e.g. 101_3.tif),
// ext one of tif, tiff, png, bmp, jpg, jpeg (any case). Other files are ignored.
#include <string>
#include <vector>

namespace tuskprint::datasets::fvc {

struct FvcImage {
  std::string path;       // full path
  std::string file_name;  // e.g. "101_3.tif"
  int finger = 0;
  int impression = 0;
};

// The images of `directory`, sorted by (finger, impression). Throws Error(kNotFound) when
// the directory does not exist, Error(kInvalidArgument) when it holds no FVC-named image
// or two files share a finger and impression.
std::vector<FvcImage> list_images(const std::string& directory);

// Parses "<finger>_<impression>.<ext>"; false when the name does not follow the layout.
bool parse_file_name(const std::string& file_name, int& finger, int& impression);

}  // namespace tuskprint::datasets::fvc
