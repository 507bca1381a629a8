#pragma once
// gRPC adapter of the TuskPrint service: moves messages between the wire and
// service::EvidenceService; no logic of its own beyond streaming.
#include "server/auth_interceptor.hpp"
#include "service/evidence_service.hpp"
#include "tuskprint/v1/service.grpc.pb.h"

namespace tuskprint::server {

class TuskPrintService final : public v1::TuskPrint::Service {
 public:
  // `registry` holds the auth interceptor's decision for each call (see auth_interceptor.hpp).
  TuskPrintService(service::EvidenceService& core, const CallRegistry& registry)
      : core_(core), registry_(registry) {}

  grpc::Status CreateSeizure(grpc::ServerContext* ctx, const v1::CreateSeizureRequest* request,
                             v1::Seizure* response) override;
  grpc::Status GetSeizure(grpc::ServerContext* ctx, const v1::GetSeizureRequest* request,
                          v1::Seizure* response) override;
  grpc::Status ListSeizures(grpc::ServerContext* ctx, const v1::ListSeizuresRequest* request,
                            v1::ListSeizuresResponse* response) override;
  grpc::Status AddSpecimen(grpc::ServerContext* ctx, const v1::AddSpecimenRequest* request,
                           v1::Specimen* response) override;
  grpc::Status ListSpecimens(grpc::ServerContext* ctx, const v1::ListSpecimensRequest* request,
                             v1::ListSpecimensResponse* response) override;
  grpc::Status SubmitScan(grpc::ServerContext* ctx,
                          grpc::ServerReader<v1::SubmitScanChunk>* reader,
                          v1::SubmitScanResponse* response) override;
  grpc::Status GetScan(grpc::ServerContext* ctx, const v1::GetScanRequest* request,
                       v1::Scan* response) override;
  grpc::Status ListScans(grpc::ServerContext* ctx, const v1::ListScansRequest* request,
                         v1::ListScansResponse* response) override;
  grpc::Status FetchScanImage(grpc::ServerContext* ctx, const v1::FetchScanImageRequest* request,
                              grpc::ServerWriter<v1::ScanImageChunk>* writer) override;
  grpc::Status WithdrawScan(grpc::ServerContext* ctx, const v1::WithdrawScanRequest* request,
                            v1::Scan* response) override;
  grpc::Status Search(grpc::ServerContext* ctx, const v1::SearchRequest* request,
                      v1::SearchResponse* response) override;
  grpc::Status Verify(grpc::ServerContext* ctx, const v1::VerifyRequest* request,
                      v1::VerifyResponse* response) override;
  grpc::Status Export(grpc::ServerContext* ctx, const v1::ExportRequest* request,
                      v1::ExportResponse* response) override;
  grpc::Status Import(grpc::ServerContext* ctx, const v1::ImportRequest* request,
                      v1::ImportResponse* response) override;
  grpc::Status LinkSeizures(grpc::ServerContext* ctx, const v1::LinkSeizuresRequest* request,
                            v1::LinkSeizuresResponse* response) override;
  grpc::Status SetSeizureSharing(grpc::ServerContext* ctx,
                                 const v1::SetSeizureSharingRequest* request,
                                 v1::Seizure* response) override;
  grpc::Status CreateToken(grpc::ServerContext* ctx, const v1::CreateTokenRequest* request,
                           v1::CreateTokenResponse* response) override;
  grpc::Status ListTokens(grpc::ServerContext* ctx, const v1::ListTokensRequest* request,
                          v1::ListTokensResponse* response) override;
  grpc::Status RevokeToken(grpc::ServerContext* ctx, const v1::RevokeTokenRequest* request,
                           v1::TokenInfo* response) override;
  grpc::Status VerifyAudit(grpc::ServerContext* ctx, const v1::VerifyAuditRequest* request,
                           v1::VerifyAuditResponse* response) override;

 private:
  // Runs `body` with the call's authenticated caller; every error becomes a gRPC status.
  template <typename Body>
  grpc::Status serve(grpc::ServerContext* ctx, Body&& body);

  service::EvidenceService& core_;
  const CallRegistry& registry_;
};

}  // namespace tuskprint::server
