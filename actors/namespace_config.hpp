// What a namespace hands to each new socket: its connect middlewares and
// connection handlers, as an immutable snapshot (replaced, never mutated).
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "actors/event.hpp"

namespace cafio {

class socket;

/// io.of(name).use((socket, next) => ...): runs inside the new socket's actor
/// before it connects; next(error) refuses the connection.
using connect_middleware = std::function<void(socket&, next)>;

/// io.of(name).on("connection", (socket) => ...): runs inside the socket actor.
using connection_handler = std::function<void(socket&)>;

struct namespace_config {
  std::vector<connect_middleware> middlewares;
  std::vector<connection_handler> on_connection;
};

using namespace_config_ptr = std::shared_ptr<const namespace_config>;

}  // namespace cafio
