#include "transport/close_reason.hpp"

namespace cafio::transport {

std::string to_string(close_reason r) {
  switch (r) {
    case close_reason::transport_close:
      return "transport close";
    case close_reason::transport_error:
      return "transport error";
    case close_reason::ping_timeout:
      return "ping timeout";
    case close_reason::parse_error:
      return "parse error";
    case close_reason::forced_close:
      return "forced close";
    case close_reason::server_shutting_down:
      return "server shutting down";
  }
  return "unknown";
}

std::string to_string(transport_kind k) {
  return k == transport_kind::polling ? "polling" : "websocket";
}

}  // namespace cafio::transport
