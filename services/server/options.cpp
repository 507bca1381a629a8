#include "server/options.hpp"

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace tuskprint::server {

void load_config_file(const std::string& path, ServerOptions& options) {
  std::ifstream in(path);
  TP_CHECK(in.good(), kNotFound, "cannot open config file '" << path << "'");
  nlohmann::json config;
  try {
    config = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    TP_THROW(kInvalidArgument, "config file '" << path << "' is not valid JSON: " << e.what());
  }
  TP_CHECK(config.is_object(), kInvalidArgument, "config file '" << path << "' must be an object");
  try {
    for (const auto& [key, value] : config.items()) {
      if (key == "listen") {
        options.listen = value.get<std::string>();
      } else if (key == "data") {
        options.data_dir = value.get<std::string>();
      } else if (key == "max_message_bytes") {
        options.max_message_bytes = value.get<std::uint32_t>();
      } else if (key == "shutdown_grace_seconds") {
        options.shutdown_grace_seconds = value.get<int>();
      } else if (key == "index_checkpoint_seconds") {
        options.index_checkpoint_seconds = value.get<int>();
        TP_CHECK(options.index_checkpoint_seconds >= 0, kInvalidArgument,
                 "config file '" << path << "': index_checkpoint_seconds must be 0 or more");
      } else if (key == "finger_index") {
        for (const auto& [fkey, fvalue] : value.items()) {
          if (fkey == "factory") {
            options.service.finger_index_factory = fvalue.get<std::string>();
          } else if (fkey == "search_breadth") {
            options.service.finger_search_breadth = fvalue.get<int>();
          } else if (fkey == "build_threads") {
            options.service.index_build_threads = fvalue.get<int>();
            TP_CHECK(options.service.index_build_threads >= 0, kInvalidArgument,
                     "config file '" << path << "': finger_index.build_threads must be 0 or more");
          } else {
            TP_THROW(kInvalidArgument, "config file '" << path << "': unknown key finger_index." << fkey);
          }
        }
      } else if (key == "agency") {
        for (const auto& [akey, avalue] : value.items()) {
          if (akey == "id") {
            options.service.agency_id = avalue.get<std::string>();
          } else if (akey == "name") {
            options.service.agency_name = avalue.get<std::string>();
          } else if (akey == "destination_id") {
            options.service.destination_id = avalue.get<std::string>();
          } else if (akey == "country") {
            options.service.agency_country = avalue.get<std::string>();
          } else if (akey == "destination_country") {
            options.service.destination_country = avalue.get<std::string>();
          } else if (akey == "destination_name") {
            options.service.destination_name = avalue.get<std::string>();
          } else {
            TP_THROW(kInvalidArgument, "config file '" << path << "': unknown key agency." << akey);
          }
        }
      } else if (key == "tls") {
        for (const auto& [tkey, tvalue] : value.items()) {
          if (tkey == "cert_file") {
            options.tls_cert_file = tvalue.get<std::string>();
          } else if (tkey == "key_file") {
            options.tls_key_file = tvalue.get<std::string>();
          } else if (tkey == "client_ca_file") {
            options.tls_client_ca_file = tvalue.get<std::string>();
          } else {
            TP_THROW(kInvalidArgument, "config file '" << path << "': unknown key tls." << tkey);
          }
        }
      } else if (key == "models_dir") {
        options.service.models_dir = value.get<std::string>();
      } else if (key == "plaintext_loopback") {
        options.plaintext_loopback = value.get<bool>();
      } else if (key == "heavy_requests") {
        for (const auto& [hkey, hvalue] : value.items()) {
          if (hkey == "max_running") {
            options.service.max_heavy_running = hvalue.get<int>();
          } else if (hkey == "max_waiting") {
            options.service.max_heavy_waiting = hvalue.get<int>();
          } else if (hkey == "max_wait_ms") {
            options.service.max_heavy_wait_ms = hvalue.get<int>();
          } else {
            TP_THROW(kInvalidArgument,
                     "config file '" << path << "': unknown key heavy_requests." << hkey);
          }
        }
      } else if (key == "limits") {
        for (const auto& [lkey, lvalue] : value.items()) {
          if (lkey == "max_upload_bytes") {
            options.service.limits.image.max_bytes = lvalue.get<std::uint64_t>();
          } else if (lkey == "max_pixels") {
            options.service.limits.image.max_pixels = lvalue.get<std::uint64_t>();
          } else if (lkey == "min_side") {
            options.service.limits.image.min_side = lvalue.get<int>();
          } else {
            TP_THROW(kInvalidArgument, "config file '" << path << "': unknown key limits." << lkey);
          }
        }
      } else {
        TP_THROW(kInvalidArgument, "config file '" << path << "': unknown key " << key);
      }
    }
  } catch (const nlohmann::json::exception& e) {
    TP_THROW(kInvalidArgument, "config file '" << path << "': " << e.what());
  }
}

bool is_loopback_listen_address(const std::string& listen) {
  const auto colon = listen.rfind(':');
  const std::string host = colon == std::string::npos ? listen : listen.substr(0, colon);
  return host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

}  // namespace tuskprint::server
