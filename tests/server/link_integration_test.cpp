// Seizure linking through the real tuskprintd: three labs enrol marks; the server's linker
// turns enrolment searches into calibrated evidence edges; LinkSeizures shows each lab the
// clusters among the seizures it may see. The same fingers' marks in a Kenyan and a
// Vietnamese seizure link them; a decoy seizure with other fingers stays alone.
#include <grpcpp/grpcpp.h>

#include <cmath>
#include <set>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "datasets/fingerprints/impression.hpp"
#include "datasets/tusks/cross_section.hpp"
#include "datasets/tusks/tusk_model.hpp"
#include "datasets/fingerprints/master.hpp"
#include "server_process.hpp"

namespace tuskprint::testing {
namespace {

std::string png_of(const cv::Mat& image) {
  std::vector<unsigned char> bytes;
  cv::imencode(".png", image, bytes);
  return std::string(bytes.begin(), bytes.end());
}

std::string impression(int finger, int number) {
  const synth::SynthParams params;
  synth::ImpressionOptions options;
  const auto master = synth::generate_master(std::uint64_t(7100 + finger), std::nullopt, params);
  return png_of(synth::render_impression(master, number, params, options).image);
}

// Cut face `slice` of synthetic elephant tusk `tusk`, as a PNG at 300 ppi.
std::string cut_face(int tusk, int slice) {
  namespace tusks = datasets::tusks;
  tusks::GeneratorOptions options;
  const auto model = tusks::sample_tusk(4242, tusk, options);
  const auto face = tusks::render_slice(model, tusks::sample_slice(model, 4242, tusk, slice, options));
  return png_of(face.bgr);
}

class LinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(temp_.path() / "data");
    server_->start();
    ke_ = make_stub(server_->address(), server_->mint_token("KE-LAB", "submit,search"));
    vn_ = make_stub(server_->address(), server_->mint_token("VN-LAB", "submit,search"));
    th_ = make_stub(server_->address(), server_->mint_token("TH-LAB", "submit,search"));
  }

  std::string seizure(v1::TuskPrint::Stub& stub, const std::string& country, const std::string& date) {
    v1::CreateSeizureRequest request;
    request.mutable_seizure()->set_date(date);
    request.mutable_seizure()->set_discovering_country(country);
    request.mutable_seizure()->add_origin_countries("KE");
    request.mutable_seizure()->add_destination_countries("VN");
    v1::Seizure out;
    grpc::ClientContext ctx;
    EXPECT_TRUE(stub.CreateSeizure(&ctx, request, &out).ok());
    return out.id();
  }

  std::string lift(v1::TuskPrint::Stub& stub, const std::string& seizure_id, const std::string& png,
                   v1::ScanKind kind = v1::SCAN_KIND_LATENT_LIFT, int ppi = 500) {
    v1::ScanMetadata metadata;
    metadata.set_seizure_id(seizure_id);
    metadata.set_kind(kind);
    metadata.set_ppi(std::uint32_t(ppi));
    metadata.set_operator_name("examiner");
    v1::SubmitScanResponse response;
    const auto status = submit_scan(stub, metadata, png, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.scan().id();
  }

  void share(v1::TuskPrint::Stub& stub, const std::string& seizure_id) {
    v1::SetSeizureSharingRequest request;
    request.set_seizure_id(seizure_id);
    request.set_shareable(true);
    request.set_reason("INTERPOL case");
    v1::Seizure out;
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub.SetSeizureSharing(&ctx, request, &out).ok());
  }

  v1::LinkSeizuresResponse links(v1::TuskPrint::Stub& stub, const std::string& around = "") {
    v1::LinkSeizuresRequest request;
    request.set_seizure_id(around);
    v1::LinkSeizuresResponse out;
    grpc::ClientContext ctx;
    const auto status = stub.LinkSeizures(&ctx, request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  TempDir temp_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::TuskPrint::Stub> ke_, vn_, th_;
};

TEST_F(LinkTest, SharedMarksLinkKenyaAndVietNamAndTheDecoyStaysAlone) {
  const std::string sz_ke = seizure(*ke_, "KE", "2025-03-14");
  const std::string sz_vn = seizure(*vn_, "VN", "2025-09-02");
  const std::string sz_th = seizure(*th_, "TH", "2025-07-20");
  for (int f = 0; f < 3; ++f) lift(*ke_, sz_ke, impression(f, 1));
  for (int f = 0; f < 2; ++f) lift(*vn_, sz_vn, impression(f, 2));
  for (int f = 3; f < 6; ++f) lift(*th_, sz_th, impression(f, 1));

  // Before anything is shared, Viet Nam sees its own seizure only: no cluster.
  EXPECT_EQ(links(*vn_).clusters_size(), 0);
  share(*ke_, sz_ke);
  share(*th_, sz_th);

  const auto report = links(*vn_);
  EXPECT_EQ(report.seizures_seen(), 3u);
  ASSERT_EQ(report.clusters_size(), 1) << report.report_json();
  const auto& cluster = report.clusters(0);
  const std::set<std::string> members(cluster.seizure_ids().begin(), cluster.seizure_ids().end());
  EXPECT_EQ(members, (std::set<std::string>{sz_ke, sz_vn}));
  EXPECT_EQ(cluster.route(), "KEN -> VNM");
  ASSERT_GE(cluster.edges_size(), 2);
  for (const auto& e : cluster.edges()) {
    EXPECT_EQ(e.modality(), "finger");
    EXPECT_GE(e.log10_lr(), 2.0);
  }
  EXPECT_NE(report.dot().find("graph seizure_links"), std::string::npos);

  // Around the decoy: it alone.
  const auto around = links(*vn_, sz_th);
  ASSERT_EQ(around.clusters_size(), 1);
  EXPECT_EQ(around.clusters(0).seizure_ids_size(), 1);

  // Kenya cannot see the unshared Vietnamese seizure, so it sees no link either.
  EXPECT_EQ(links(*ke_).clusters_size(), 0);

  // Search results carry the evidence as a log10 LR.
  v1::SearchRequest request;
  request.mutable_probe()->mutable_image()->set_data(impression(0, 2));
  request.mutable_probe()->mutable_image()->set_ppi(500);
  v1::SearchResponse found;
  grpc::ClientContext ctx;
  ASSERT_TRUE(vn_->Search(&ctx, request, &found).ok());
  EXPECT_EQ(found.modality(), v1::MODALITY_FINGER);
  ASSERT_GT(found.candidates_size(), 0);
  EXPECT_TRUE(found.candidates(0).has_log10_lr());
  EXPECT_FALSE(found.lr_model().empty());
}

TEST_F(LinkTest, CutFacesOfOneTuskAreFoundAcrossSeizures) {
  const std::string sz_ke = seizure(*ke_, "KE", "2025-03-14");
  const std::string sz_vn = seizure(*vn_, "VN", "2025-09-02");
  // Kenya holds faces 0 of three tusks and face 2 of tusk 1; Viet Nam holds face 1 of tusk 1,
  // the piece cut out between them.
  std::vector<std::string> ke_faces;
  for (int t = 0; t < 3; ++t) {
    ke_faces.push_back(lift(*ke_, sz_ke, cut_face(t, 0), v1::SCAN_KIND_CROSS_SECTION, 300));
  }
  const std::string ke_face_1_2 = lift(*ke_, sz_ke, cut_face(1, 2), v1::SCAN_KIND_CROSS_SECTION, 300);
  const std::string vn_face = lift(*vn_, sz_vn, cut_face(1, 1), v1::SCAN_KIND_CROSS_SECTION, 300);
  share(*ke_, sz_ke);

  v1::GetScanRequest get;
  get.set_scan_id(vn_face);
  v1::Scan stored;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(vn_->GetScan(&ctx, get, &stored).ok());
  }
  // Measured at submission (the call depends on the drawn outer angle: elephant, or
  // indeterminate inside the 90-115 degree band).
  EXPECT_TRUE(stored.schreger_profile().species() == v1::SPECIES_ELEPHANT ||
              stored.schreger_profile().species() == v1::SPECIES_INDETERMINATE)
      << v1::Species_Name(stored.schreger_profile().species());

  v1::SearchRequest request;
  request.mutable_probe()->set_scan_id(vn_face);
  v1::SearchResponse found;
  grpc::ClientContext ctx;
  const auto status = vn_->Search(&ctx, request, &found);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(found.modality(), v1::MODALITY_SCHREGER);  // the probe scan's modality
  ASSERT_GE(found.candidates_size(), 2);
  // Both faces of tusk 1 first; the first faces the probe in the cut order reconstructed from
  // the three faces of tusk 1, and no face of another tusk is in that order.
  const std::set<std::string> first_two{found.candidates(0).scan_id(), found.candidates(1).scan_id()};
  EXPECT_EQ(first_two, (std::set<std::string>{ke_faces[1], ke_face_1_2}));
  EXPECT_TRUE(found.candidates(0).adjacent_in_cut_order());
  EXPECT_TRUE(found.candidates(0).has_size_step_mm());  // whole faces: their sizes compare
  EXPECT_TRUE(found.candidates(0).mirror_image());
  ASSERT_TRUE(found.candidates(0).has_outline_residual_mm());  // and their outlines' shapes
  EXPECT_LT(found.candidates(0).outline_residual_mm(), 0.06);
  for (int i = 0; i < found.candidates_size(); ++i) {
    const auto& c = found.candidates(i);
    EXPECT_EQ(c.seizure_id(), sz_ke);
    if (i >= 2) {
      EXPECT_FALSE(c.adjacent_in_cut_order()) << c.scan_id() << " at rank " << c.rank();
    }
  }
}

TEST_F(LinkTest, BadRequestsAreRefusedClearly) {
  v1::LinkSeizuresRequest request;
  request.set_seizure_id("SZ-NOSUCHTHING");
  v1::LinkSeizuresResponse out;
  grpc::ClientContext ctx;
  EXPECT_EQ(ke_->LinkSeizures(&ctx, request, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  request.clear_seizure_id();
  request.set_min_log10_lr(std::nan(""));
  grpc::ClientContext ctx2;
  EXPECT_EQ(ke_->LinkSeizures(&ctx2, request, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace tuskprint::testing
