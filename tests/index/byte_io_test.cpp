#include "index/byte_io.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "index/finger_index.hpp"

namespace tuskprint::index {
namespace {
namespace fs = std::filesystem;

class ChecksummedFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tp-byteio-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    path_ = dir_ / "f.idx";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string file_bytes() const {
    std::ifstream in(path_, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  void overwrite(const std::string& bytes) const { std::ofstream(path_, std::ios::binary) << bytes; }
  // The code and message of what loading the file throws ("" when it loads).
  std::string load_error(ErrorCode* code, const ReadBody& body) const {
    try {
      load_checksummed_file(path_, "TAG1", "test file", body);
    } catch (const Error& e) {
      *code = e.code();
      return e.what();
    }
    return "";
  }

  fs::path dir_, path_;
};

// Several MB of fields: many small ones (as slots are written) and large arrays (as FAISS
// writes its lists), so that reads cross the 1 MB buffer at every kind of boundary.
struct Payload {
  std::vector<std::uint32_t> small;
  std::vector<std::string> blobs;
};

Payload make_payload() {
  std::mt19937 rng(5);
  Payload p;
  for (int i = 0; i < 600'000; ++i) p.small.push_back(std::uint32_t(rng()));
  for (std::size_t size : {std::size_t(7), std::size_t(1) << 20, (std::size_t(3) << 20) + 5, std::size_t(0)}) {
    std::string blob(size, '\0');
    for (auto& c : blob) c = char(rng());
    p.blobs.push_back(std::move(blob));
  }
  return p;
}

void write_payload(ByteSink& out, const Payload& p) {
  out.put<std::uint64_t>(p.small.size());
  for (std::size_t i = 0; i < p.small.size(); ++i) {
    out.put<std::uint32_t>(p.small[i]);
    if (i % 100'000 == 0) out.put_string(p.blobs[(i / 100'000) % p.blobs.size()]);
  }
}

Payload read_payload(ByteSource& in, const Payload& like) {
  Payload p;
  const auto n = in.get<std::uint64_t>("count");
  for (std::uint64_t i = 0; i < n; ++i) {
    p.small.push_back(in.get<std::uint32_t>("value"));
    if (i % 100'000 == 0) {
      const std::string blob = in.get_string("blob");
      EXPECT_EQ(blob, like.blobs[(i / 100'000) % like.blobs.size()]) << "blob at " << i;
    }
  }
  return p;
}

TEST_F(ChecksummedFile, StreamsLargeBodiesBothWaysAndMatchesTheInMemoryForm) {
  const Payload payload = make_payload();
  save_checksummed_file(path_, "TAG1", [&](ByteSink& out) { write_payload(out, payload); });
  const std::string bytes = file_bytes();
  EXPECT_GT(bytes.size(), std::size_t(5) << 20);
  EXPECT_EQ(bytes, checksummed_bytes("TAG1", [&](ByteSink& out) { write_payload(out, payload); }));
  EXPECT_FALSE(fs::exists(path_.string() + ".tmp"));
  Payload loaded;
  load_checksummed_file(path_, "TAG1", "test file", [&](ByteSource& in) { loaded = read_payload(in, payload); });
  EXPECT_EQ(loaded.small, payload.small);
  read_checksummed_bytes(bytes, "TAG1", "test bytes", [&](ByteSource& in) { loaded = read_payload(in, payload); });
  EXPECT_EQ(loaded.small, payload.small);
}

TEST_F(ChecksummedFile, DamageIsFoundBeforeTheBodyIsRead) {
  save_checksummed_file(path_, "TAG1", [&](ByteSink& out) {
    out.put_string("hello");
    out.put<std::int64_t>(42);
  });
  const std::string good = file_bytes();
  bool body_read = false;
  auto body = [&](ByteSource& in) {
    body_read = true;
    in.get_string("greeting");
    in.get<std::int64_t>("answer");
  };
  ErrorCode code{};
  std::string flipped = good;
  flipped[10] ^= 0x01;
  overwrite(flipped);
  EXPECT_NE(load_error(&code, body).find("test file fails its checksum"), std::string::npos);
  EXPECT_EQ(code, ErrorCode::kDataLoss);
  overwrite(good.substr(0, good.size() - 1));
  EXPECT_NE(load_error(&code, body).find("checksum"), std::string::npos);
  overwrite(good.substr(0, 20));
  EXPECT_NE(load_error(&code, body).find("test file is truncated"), std::string::npos);
  EXPECT_EQ(code, ErrorCode::kDataLoss);
  overwrite(std::string(good).replace(0, 4, "TAG0"));
  EXPECT_NE(load_error(&code, body).find("another format"), std::string::npos);
  EXPECT_EQ(code, ErrorCode::kFailedPrecondition);
  EXPECT_FALSE(body_read);
  overwrite(good);
  EXPECT_EQ(load_error(&code, body), "");
  EXPECT_TRUE(body_read);
}

TEST_F(ChecksummedFile, ABodyReaderMustReadExactlyTheBody) {
  save_checksummed_file(path_, "TAG1", [&](ByteSink& out) { out.put<std::int64_t>(7); });
  ErrorCode code{};
  EXPECT_NE(load_error(&code, [](ByteSource&) {}).find("test file has 8 unread bytes"), std::string::npos);
  EXPECT_EQ(code, ErrorCode::kDataLoss);
  EXPECT_NE(load_error(&code, [](ByteSource& in) { in.get_string("name"); }).find("test file is truncated (reading name)"),
            std::string::npos);
  EXPECT_EQ(code, ErrorCode::kDataLoss);
}

TEST_F(ChecksummedFile, MissingFileAndFolderAreErrorsNamingThePath) {
  ErrorCode code{};
  EXPECT_NE(load_error(&code, [](ByteSource&) {}).find(path_.string()), std::string::npos);
  EXPECT_EQ(code, ErrorCode::kInternal);
  try {
    save_checksummed_file(dir_ / "missing" / "f.idx", "TAG1", [](ByteSink& out) { out.put<int>(1); });
    FAIL() << "saved into a missing folder";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
    EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos) << e.what();
  }
}

TEST_F(ChecksummedFile, AFingerprintIndexRoundTripsThroughAStreamedFile) {
  std::mt19937 rng(3);
  FingerprintIndex index("BIVF4");
  std::vector<std::string> keys;
  std::vector<ridge::FingerTemplate> fingers;
  for (int t = 0; t < 300; ++t) {
    ridge::FingerTemplate f;
    f.width = 400;
    f.height = 500;
    std::uniform_real_distribution<float> x(40, 360), y(40, 460), a(0, 6.28f);
    for (int m = 0; m < 40; ++m) f.minutiae.push_back({x(rng), y(rng), a(rng), ridge::MinutiaType::kEnding, 0.8f});
    keys.push_back(std::string("T").append(std::to_string(t)));
    fingers.push_back(f);
  }
  index.add_batch(keys, fingers);
  index.remove("T7");
  save_checksummed_file(path_, "TAG1", [&](ByteSink& out) { index.write(out); });
  std::unique_ptr<FingerprintIndex> loaded;
  load_checksummed_file(path_, "TAG1", "test file", [&](ByteSource& in) { loaded = FingerprintIndex::read(in); });
  ASSERT_NE(loaded, nullptr);
  EXPECT_EQ(loaded->size(), index.size());
  EXPECT_EQ(loaded->factory(), "BIVF4");
  EXPECT_EQ(loaded->serialize(), index.serialize());
  const auto hits = loaded->search(fingers[42]);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].key, "T42");
  for (const auto& h : loaded->search(fingers[7])) EXPECT_NE(h.key, "T7");
}

}  // namespace
}  // namespace tuskprint::index
