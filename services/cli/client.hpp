#pragma once
// Helpers shared by the client commands (seizure, specimen, scan, ...).
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <google/protobuf/message.h>

#include "cli/command_registry.hpp"
#include "tuskprint/v1/service.grpc.pb.h"

namespace tuskprint::cli {

// Adds `--server ADDR`, `--token TOKEN` and `--tls-ca FILE` to a client subcommand (defaults:
// $TUSKPRINT_SERVER else 127.0.0.1:50551; $TUSKPRINT_TOKEN or $TUSKPRINT_TOKEN_FILE;
// $TUSKPRINT_TLS_CA, plaintext when none).
void add_server_option(CLI::App* command, Context& ctx);

std::unique_ptr<v1::TuskPrint::Stub> connect(const std::string& server);

// Throws tuskprint::Error carrying the status code's name and the server's message.
void check_status(const grpc::Status& status, const std::string& server);

// Client context with a deadline and the API token as `authorization: Bearer <token>`.
std::unique_ptr<grpc::ClientContext> make_context(int deadline_seconds = 60);

// One record as JSON (proto field names), for --json output.
std::string to_json(const google::protobuf::Message& message, bool multiline = true);

}  // namespace tuskprint::cli
