// Why a socket left its namespace: the nine reasons of socket.io 4.8
// (lib/socket-types.ts, DisconnectReason), in its own words.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "transport/close_reason.hpp"

namespace cafio {

enum class disconnect_reason : std::uint8_t {
  transport_error,
  transport_close,
  forced_close,
  ping_timeout,
  parse_error,
  server_shutting_down,
  forced_server_close,
  client_namespace_disconnect,
  server_namespace_disconnect,
};

/// "transport error", "transport close", "forced close", "ping timeout",
/// "parse error", "server shutting down", "forced server close",
/// "client namespace disconnect", "server namespace disconnect".
std::string to_string(disconnect_reason reason);

/// Every reason's name, indexed by the enum's value (metrics labels).
std::vector<std::string> disconnect_reason_names();

/// The socket-level reason for the end of an Engine.IO session.
disconnect_reason from_close_reason(transport::close_reason reason);

}  // namespace cafio
