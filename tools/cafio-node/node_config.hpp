// cafio-node's configuration: every option with its default, read from (in
// increasing priority) the defaults, the app's own settings, a JSON config
// file (--config), environment variables (CAFIO_<NAME>) and the command line.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "actors/server.hpp"

namespace cafio::node {

struct node_config {
  std::string app = "demo";
  std::string host = "127.0.0.1";
  std::uint16_t port = 3000;
  std::string path = "/socket.io/";
  std::chrono::milliseconds ping_interval{25000};
  std::chrono::milliseconds ping_timeout{20000};
  std::chrono::milliseconds upgrade_timeout{10000};
  std::chrono::milliseconds connect_timeout{45000};
  std::size_t max_payload = 1000000;
  std::size_t max_attachments = 10;
  std::string transports = "polling,websocket";
  bool allow_upgrades = true;
  bool allow_eio3 = false;
  bool per_message_deflate = false;
  std::size_t per_message_deflate_threshold = 1024;
  bool http_compression = true;
  std::size_t http_compression_threshold = 1024;
  std::string cors_origin;  // empty: no CORS headers; "*", an origin, or "reflect"
  bool cors_credentials = false;
  std::string cookie;  // empty: no handshake cookie; else its name
  std::string cookie_path = "/";
  bool cookie_http_only = true;
  std::string cookie_same_site = "lax";
  bool serve_client = true;
  std::string client_dir;  // where socket.io.js is read from
  bool metrics = true;
  std::string metrics_path = "/metrics";
  std::string log_level = "warn";
  std::string tls_cert;
  std::string tls_key;
  std::size_t io_threads = 0;
  std::size_t scheduler_threads = 0;
  std::string config_file;

  /// Names of the options set by a config file, the environment or the
  /// command line (an app's own settings do not override those).
  std::set<std::string> explicit_options;
  bool help = false;

  bool is_explicit(const std::string& name) const { return explicit_options.count(name) != 0; }
};

/// Reads the configuration; on error returns nullopt with a one-line
/// `error`. `environment` is the process environment (envp).
std::optional<node_config> read_config(int argc, char** argv, char** environment,
                                       std::string& error);

/// Applies an app's own settings to the options the user did not set.
void apply_app_defaults(node_config& config);

/// The Socket.IO server options of a configuration.
server_options to_server_options(const node_config& config);

/// --help: every option, its environment variable and its default.
std::string usage();

}  // namespace cafio::node
