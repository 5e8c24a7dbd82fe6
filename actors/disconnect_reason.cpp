#include "actors/disconnect_reason.hpp"

namespace cafio {

std::string to_string(disconnect_reason reason) {
  switch (reason) {
    case disconnect_reason::transport_error:
      return "transport error";
    case disconnect_reason::transport_close:
      return "transport close";
    case disconnect_reason::forced_close:
      return "forced close";
    case disconnect_reason::ping_timeout:
      return "ping timeout";
    case disconnect_reason::parse_error:
      return "parse error";
    case disconnect_reason::server_shutting_down:
      return "server shutting down";
    case disconnect_reason::forced_server_close:
      return "forced server close";
    case disconnect_reason::client_namespace_disconnect:
      return "client namespace disconnect";
    case disconnect_reason::server_namespace_disconnect:
      return "server namespace disconnect";
  }
  return "unknown";
}

std::vector<std::string> disconnect_reason_names() {
  std::vector<std::string> names;
  for (auto i = 0; i <= static_cast<int>(disconnect_reason::server_namespace_disconnect); ++i)
    names.push_back(to_string(static_cast<disconnect_reason>(i)));
  return names;
}

disconnect_reason from_close_reason(transport::close_reason reason) {
  using transport::close_reason;
  switch (reason) {
    case close_reason::transport_close:
      return disconnect_reason::transport_close;
    case close_reason::transport_error:
      return disconnect_reason::transport_error;
    case close_reason::ping_timeout:
      return disconnect_reason::ping_timeout;
    case close_reason::parse_error:
      return disconnect_reason::parse_error;
    case close_reason::forced_close:
      return disconnect_reason::forced_close;
    case close_reason::server_shutting_down:
      return disconnect_reason::server_shutting_down;
  }
  return disconnect_reason::transport_error;
}

}  // namespace cafio
