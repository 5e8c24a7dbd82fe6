// The room actor: a member set and the fan-out of broadcasts to it.
#pragma once

#include <string>

#include <caf/actor_system.hpp>

#include "actors/interfaces.hpp"
#include "transport/metrics.hpp"

namespace cafio {

/// `stats` (may be null) counts the deliveries.
room_actor spawn_room(caf::actor_system& sys, std::string name, metrics_ptr stats = nullptr);

}  // namespace cafio
