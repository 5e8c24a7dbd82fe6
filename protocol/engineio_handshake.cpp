#include "protocol/engineio_handshake.hpp"

#include <nlohmann/json.hpp>

namespace cafio::engineio {

namespace {

void append_json_string(std::string& out, std::string_view text) {
  // nlohmann escapes strings as JSON.stringify does ("\n", "\u001f", UTF-8 kept).
  out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string open_packet_json(const handshake_data& h) {
  // Key order as engine.io's Socket#onOpen writes it: clients do not care,
  // but conformance suites compare bodies.
  std::string out;
  out.reserve(128 + h.sid.size());
  out += "{\"sid\":";
  append_json_string(out, h.sid);
  out += ",\"upgrades\":[";
  for (std::size_t i = 0; i < h.upgrades.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, h.upgrades[i]);
  }
  out += "],\"pingInterval\":";
  out += std::to_string(h.ping_interval_ms);
  out += ",\"pingTimeout\":";
  out += std::to_string(h.ping_timeout_ms);
  if (h.include_max_payload) {
    out += ",\"maxPayload\":";
    out += std::to_string(h.max_payload);
  }
  out += '}';
  return out;
}

std::string_view error_message(error_code code) {
  switch (code) {
    case error_code::unknown_transport:
      return "Transport unknown";
    case error_code::unknown_sid:
      return "Session ID unknown";
    case error_code::bad_handshake_method:
      return "Bad handshake method";
    case error_code::bad_request:
      return "Bad request";
    case error_code::forbidden:
      return "Forbidden";
    case error_code::unsupported_protocol_version:
      return "Unsupported protocol version";
  }
  return "Bad request";
}

std::string error_body(error_code code) {
  // engine.io abortRequest: JSON.stringify({code, message}).
  std::string out = "{\"code\":";
  out += std::to_string(static_cast<int>(code));
  out += ",\"message\":\"";
  out += error_message(code);  // fixed ASCII, nothing to escape
  out += "\"}";
  return out;
}

}  // namespace cafio::engineio
