#include "catalog/blob_store.hpp"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>

#include "core/durable_file.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"

namespace tuskprint::catalog {
namespace fs = std::filesystem;
namespace {

bool is_hex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

BlobStore::BlobStore(fs::path root) : root_(std::move(root)) {
  fs::create_directories(root_ / "tmp");
}

fs::path BlobStore::path_of(const std::string& sha256) const {
  TP_CHECK(is_hex64(sha256), kInvalidArgument, "'" << sha256 << "' is not a SHA-256 hex digest");
  return root_ / sha256.substr(0, 2) / sha256;
}

bool BlobStore::contains(const std::string& sha256) const { return fs::exists(path_of(sha256)); }

bool BlobStore::put(const std::string& sha256, std::string_view bytes) {
  const fs::path target = path_of(sha256);
  if (fs::exists(target)) return false;
  fs::create_directories(target.parent_path());
  static std::atomic<unsigned long> counter{0};
  const fs::path temp = root_ / "tmp" /
                        (sha256 + "." + std::to_string(::getpid()) + "." +
                         std::to_string(counter.fetch_add(1)));
  write_file_durably(target, temp, bytes);
  return true;
}

std::string BlobStore::get(const std::string& sha256) const {
  const fs::path path = path_of(sha256);
  std::ifstream in(path, std::ios::binary);
  TP_CHECK(in.good(), kNotFound, "image blob " << sha256 << " is missing from the store");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string bytes = std::move(buffer).str();
  TP_CHECK(sha256_hex(bytes) == sha256, kDataLoss,
           "image blob " << sha256 << " is corrupt: its bytes no longer match their SHA-256");
  return bytes;
}

}  // namespace tuskprint::catalog
