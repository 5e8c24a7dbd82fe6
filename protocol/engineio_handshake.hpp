// The Engine.IO open packet and the HTTP error bodies of the reference
// server (engine.io lib/server.ts, Server.errorMessages).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cafio::engineio {

struct handshake_data {
  std::string sid;
  std::vector<std::string> upgrades;  // ["websocket"] for polling, [] for websocket
  std::uint32_t ping_interval_ms = 25000;
  std::uint32_t ping_timeout_ms = 20000;
  std::uint64_t max_payload = 1000000;
  bool include_max_payload = true;  // v3 handshakes have no maxPayload
};

/// The JSON of the open packet, e.g.
/// {"sid":"...","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}
std::string open_packet_json(const handshake_data& h);

/// Error codes of the reference server, sent as HTTP 400 JSON bodies.
enum class error_code : int {
  unknown_transport = 0,
  unknown_sid = 1,
  bad_handshake_method = 2,
  bad_request = 3,
  forbidden = 4,
  unsupported_protocol_version = 5,
};

/// "Transport unknown", "Session ID unknown", "Bad handshake method",
/// "Bad request", "Forbidden", "Unsupported protocol version".
std::string_view error_message(error_code code);

/// {"code":1,"message":"Session ID unknown"}
std::string error_body(error_code code);

}  // namespace cafio::engineio
