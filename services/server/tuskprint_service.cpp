#include "server/tuskprint_service.hpp"

#include "core/error.hpp"
#include "server/status.hpp"

namespace tuskprint::server {
namespace {

constexpr std::size_t kImageChunkBytes = 1 << 20;

}  // namespace

template <typename Body>
grpc::Status TuskPrintService::serve(grpc::ServerContext* ctx, Body&& body) {
  return guarded([&] {
    const service::Caller caller = caller_of(registry_, ctx);
    body(caller);
  });
}

grpc::Status TuskPrintService::CreateSeizure(grpc::ServerContext* ctx,
                                             const v1::CreateSeizureRequest* request,
                                             v1::Seizure* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    *response = core_.create_seizure(request->seizure(), caller);
  });
}

grpc::Status TuskPrintService::GetSeizure(grpc::ServerContext* ctx, const v1::GetSeizureRequest* request,
                                          v1::Seizure* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    *response = core_.get_seizure(request->seizure_id(), caller);
  });
}

grpc::Status TuskPrintService::ListSeizures(grpc::ServerContext* ctx,
                                            const v1::ListSeizuresRequest* request,
                                            v1::ListSeizuresResponse* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    auto page = core_.list_seizures(request->page_size(), request->page_token(),
                                    request->discovering_country(), caller);
    for (auto& s : page.seizures) *response->add_seizures() = std::move(s);
    response->set_next_page_token(page.next_page_token);
  });
}

grpc::Status TuskPrintService::AddSpecimen(grpc::ServerContext* ctx,
                                           const v1::AddSpecimenRequest* request,
                                           v1::Specimen* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    *response = core_.add_specimen(request->specimen(), caller);
  });
}

grpc::Status TuskPrintService::ListSpecimens(grpc::ServerContext* ctx,
                                             const v1::ListSpecimensRequest* request,
                                             v1::ListSpecimensResponse* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    for (auto& s : core_.list_specimens(request->seizure_id(), caller)) {
      *response->add_specimens() = std::move(s);
    }
  });
}

grpc::Status TuskPrintService::SubmitScan(grpc::ServerContext* ctx,
                                          grpc::ServerReader<v1::SubmitScanChunk>* reader,
                                          v1::SubmitScanResponse* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    v1::SubmitScanChunk chunk;
    TP_CHECK(reader->Read(&chunk), kInvalidArgument, "SubmitScan stream was empty");
    TP_CHECK(chunk.has_metadata(), kInvalidArgument,
             "the first SubmitScan message must carry the scan metadata");
    auto upload = core_.begin_scan(chunk.metadata(), caller);
    while (reader->Read(&chunk)) {
      TP_CHECK(!chunk.has_metadata(), kInvalidArgument,
               "SubmitScan metadata may only be sent once, in the first message");
      upload.append(chunk.data());
    }
    TP_CHECK(!ctx->IsCancelled(), kInvalidArgument, "upload cancelled by the client");
    auto result = upload.commit();
    *response->mutable_scan() = std::move(result.scan);
    response->set_duplicate_bytes(result.duplicate_bytes);
  });
}

grpc::Status TuskPrintService::GetScan(grpc::ServerContext* ctx, const v1::GetScanRequest* request,
                                       v1::Scan* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    *response = core_.get_scan(request->scan_id(), caller);
  });
}

grpc::Status TuskPrintService::ListScans(grpc::ServerContext* ctx, const v1::ListScansRequest* request,
                                         v1::ListScansResponse* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    for (auto& s : core_.list_scans(request->seizure_id(), caller)) *response->add_scans() = std::move(s);
  });
}

grpc::Status TuskPrintService::FetchScanImage(grpc::ServerContext* ctx,
                                              const v1::FetchScanImageRequest* request,
                                              grpc::ServerWriter<v1::ScanImageChunk>* writer) {
  return serve(ctx, [&](const service::Caller& caller) {
    const v1::Scan scan = core_.get_scan(request->scan_id(), caller);
    const std::string bytes = core_.read_scan_bytes(request->scan_id(), caller);
    std::size_t offset = 0;
    do {
      v1::ScanImageChunk chunk;
      if (offset == 0) {
        chunk.set_media_type(scan.media_type());
        chunk.set_sha256(scan.sha256());
      }
      const std::size_t n = std::min(kImageChunkBytes, bytes.size() - offset);
      chunk.set_data(bytes.substr(offset, n));
      offset += n;
      TP_CHECK(writer->Write(chunk), kInternal, "client went away during FetchScanImage");
    } while (offset < bytes.size());
  });
}

grpc::Status TuskPrintService::WithdrawScan(grpc::ServerContext* ctx,
                                            const v1::WithdrawScanRequest* request,
                                            v1::Scan* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    *response = core_.withdraw_scan(request->scan_id(), request->reason(), caller);
  });
}

grpc::Status TuskPrintService::Search(grpc::ServerContext* ctx, const v1::SearchRequest* request,
                                      v1::SearchResponse* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    *response = core_.search(*request, caller);
  });
}

grpc::Status TuskPrintService::Verify(grpc::ServerContext* ctx, const v1::VerifyRequest* request,
                                      v1::VerifyResponse* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    *response = core_.verify(*request, caller);
  });
}

grpc::Status TuskPrintService::Export(grpc::ServerContext* ctx, const v1::ExportRequest* request,
                                      v1::ExportResponse* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    *response = core_.export_scans(*request, caller);
  });
}

grpc::Status TuskPrintService::Import(grpc::ServerContext* ctx, const v1::ImportRequest* request,
                                      v1::ImportResponse* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    *response = core_.import_transaction(*request, caller);
  });
}

grpc::Status TuskPrintService::LinkSeizures(grpc::ServerContext* ctx,
                                            const v1::LinkSeizuresRequest* request,
                                            v1::LinkSeizuresResponse* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    *response = core_.link_seizures(*request, caller);
  });
}

grpc::Status TuskPrintService::SetSeizureSharing(grpc::ServerContext* ctx,
                                                 const v1::SetSeizureSharingRequest* request,
                                                 v1::Seizure* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    *response = core_.set_seizure_sharing(request->seizure_id(), request->shareable(),
                                          request->reason(), caller);
  });
}

grpc::Status TuskPrintService::CreateToken(grpc::ServerContext* ctx,
                                           const v1::CreateTokenRequest* request,
                                           v1::CreateTokenResponse* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    *response = core_.create_token(*request, caller);
  });
}

grpc::Status TuskPrintService::ListTokens(grpc::ServerContext* ctx,
                                          const v1::ListTokensRequest* request,
                                          v1::ListTokensResponse* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    *response = core_.list_tokens(*request, caller);
  });
}

grpc::Status TuskPrintService::RevokeToken(grpc::ServerContext* ctx,
                                           const v1::RevokeTokenRequest* request,
                                           v1::TokenInfo* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    *response = core_.revoke_token(request->token_id(), caller);
  });
}

grpc::Status TuskPrintService::VerifyAudit(grpc::ServerContext* ctx, const v1::VerifyAuditRequest*,
                                           v1::VerifyAuditResponse* response) {
  return serve(ctx, [&](const service::Caller& caller) {
    *response = core_.verify_audit(caller);
  });
}

}  // namespace tuskprint::server
