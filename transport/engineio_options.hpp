// Options of the Engine.IO server, named after engine.io's ServerOptions.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "transport/handshake_request.hpp"
#include "transport/logger.hpp"
#include "transport/metrics.hpp"

namespace cafio::transport {

/// Cross-origin resource sharing for polling requests (what the `cors`
/// middleware of the reference server adds).
struct cors_options {
  bool enabled = false;
  /// "*", one origin, or "" to reflect the request's Origin header.
  std::string origin = "*";
  bool credentials = false;
  std::string methods = "GET,HEAD,PUT,PATCH,POST,DELETE";
};

/// The handshake cookie (engine.io's `cookie` option).
struct cookie_options {
  bool enabled = false;
  std::string name = "io";
  std::string path = "/";
  bool http_only = true;
  std::string same_site = "lax";  // "", "lax", "strict" or "none"
};

/// Decides whether a handshake may open a session: returns nullopt to accept
/// or the message of a 403 "Forbidden" answer (engine.io's allowRequest).
using allow_request_fn = std::function<std::optional<std::string>(const handshake_request&)>;

/// Compression of what the server sends, with engine.io's threshold:
/// smaller messages (or polling responses) go uncompressed.
struct compression_options {
  bool enabled = false;
  std::size_t threshold = 1024;
};

struct engineio_options {
  /// Where the server answers; a trailing slash is added when missing.
  std::string path = "/engine.io/";
  std::chrono::milliseconds ping_interval{25000};
  std::chrono::milliseconds ping_timeout{20000};
  std::chrono::milliseconds upgrade_timeout{10000};
  /// How long a polling session closed by the server waits for the GET that
  /// carries the close packet.
  std::chrono::milliseconds close_timeout{30000};
  /// Largest message / HTTP body accepted (maxHttpBufferSize, "maxPayload").
  std::size_t max_payload = 1000000;
  bool allow_polling = true;
  bool allow_websocket = true;
  bool allow_upgrades = true;
  /// Accept Engine.IO v3 clients (socket.io-client 2.x) beside v4 ones.
  /// Off by default, as socket.io's allowEIO3: serving the old protocol is
  /// an operator's choice (README.md, "Old clients").
  bool allow_eio3 = false;
  /// Most bytes a session may have queued for a client that does not read;
  /// past it the session is closed ("transport error") instead of growing.
  std::size_t max_send_queue_bytes = 16 * 1024 * 1024;
  /// permessage-deflate on WebSocket (engine.io's perMessageDeflate), used
  /// when the client offers it. Off by default, as in engine.io: every
  /// compressing connection keeps its own deflate state (tens of KB).
  compression_options per_message_deflate{false, 1024};
  /// gzip/deflate polling responses for clients that accept them
  /// (engine.io's httpCompression, on by default there too).
  compression_options http_compression{true, 1024};
  cors_options cors;
  cookie_options cookie;
  allow_request_fn allow_request;
  /// PEM certificate (chain) and private key: when set, the server speaks
  /// only HTTPS and WSS.
  std::string tls_certificate;
  std::string tls_key;
  /// Where sessions log (opening, upgrade, close with reason, refused
  /// requests); none when null.
  logger_ptr log;
  /// Counters and gauges to keep; none when null.
  metrics_ptr stats;
};

}  // namespace cafio::transport
