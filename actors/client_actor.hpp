// The client actor: one per Engine.IO session. Decodes Socket.IO packets
// (reassembling binary attachments), multiplexes namespaces, enforces
// connectTimeout, and turns the end of the session into socket disconnects.
#pragma once

#include <chrono>

#include <caf/actor_system.hpp>

#include "actors/interfaces.hpp"

namespace cafio {

struct client_options {
  std::chrono::milliseconds connect_timeout{45000};
  std::size_t max_attachments = 10;
  logger_ptr log;     // may be null
  metrics_ptr stats;  // may be null
};

client_actor spawn_client(caf::actor_system& sys, transport::session_handle session,
                          const transport::session_info& info, registry_actor registry,
                          client_options options);

}  // namespace cafio
