// Why an Engine.IO session ended, in engine.io's own words (lib/socket.ts
// onClose reasons). The Socket.IO layer maps these onto its disconnect
// reasons.
#pragma once

#include <cstdint>
#include <string>

namespace cafio::transport {

enum class close_reason : std::uint8_t {
  transport_close,       // the client closed the connection or sent a close packet
  transport_error,       // the connection failed (reset, bad frame, overlapping polls)
  ping_timeout,          // no pong (v4) / no ping (v3) in time
  parse_error,           // undecodable Engine.IO packet
  forced_close,          // the server closed the session
  server_shutting_down,  // the whole server is stopping
};

std::string to_string(close_reason r);

enum class transport_kind : std::uint8_t { polling, websocket };

std::string to_string(transport_kind k);

}  // namespace cafio::transport
