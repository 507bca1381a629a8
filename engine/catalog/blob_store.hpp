#pragma once
// Content-addressed storage of scan image bytes: <root>/<aa>/<sha256>. A blob is written
// to a temporary file, flushed to disk, renamed into place and its folder flushed, so a
// blob that exists under its name is complete. The same bytes are stored once.
#include <filesystem>
#include <string>
#include <string_view>

namespace tuskprint::catalog {

class BlobStore {
 public:
  explicit BlobStore(std::filesystem::path root);

  // Stores `bytes` whose SHA-256 is `sha256` (lower-case hex). Returns false when a blob
  // with that hash was already present (nothing written).
  bool put(const std::string& sha256, std::string_view bytes);

  // Reads a blob and checks its hash: Error(kNotFound) when missing, Error(kDataLoss) when
  // the bytes on disk no longer hash to their name.
  std::string get(const std::string& sha256) const;

  bool contains(const std::string& sha256) const;
  std::filesystem::path path_of(const std::string& sha256) const;

 private:
  std::filesystem::path root_;
};

}  // namespace tuskprint::catalog
