// The Socket.IO client of one Engine.IO session (socket.io's Client): decodes
// Socket.IO packets (reassembling binary attachments), multiplexes
// namespaces, enforces connectTimeout, and turns the end of the session into
// socket disconnects. It runs inside the session's actor
// (transport/session_upper.hpp): the connection costs one actor, not two.
// Its sockets reach it through the session with `transport::upper_atom`
// signals (client_signal below).
#pragma once

#include <chrono>
#include <string>

#include <caf/message.hpp>

#include "actors/interfaces.hpp"
#include "transport/session_upper.hpp"

namespace cafio {

struct client_options {
  std::chrono::milliseconds connect_timeout{45000};
  std::size_t max_attachments = 10;
  logger_ptr log;     // may be null
  metrics_ptr stats;  // may be null
};

/// Makes the client of every new Engine.IO session (the Engine.IO server's
/// upper_factory).
transport::upper_factory client_factory(registry_actor registry, client_options options);

/// What a socket tells its client, sent to the session with
/// `transport::upper_atom`.
namespace client_signal {

/// The socket of namespace `nsp` is gone (a server-side disconnect): the
/// client forgets it.
caf::message gone(const std::string& nsp);

/// disconnect(true): every socket of the connection leaves for `reason`,
/// then the Engine.IO connection closes.
caf::message disconnect_all(disconnect_reason reason);

}  // namespace client_signal

}  // namespace cafio
