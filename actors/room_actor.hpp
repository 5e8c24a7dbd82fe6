// The room actor: a member set and the fan-out of broadcasts to it.
#pragma once

#include <string>

#include <caf/actor_system.hpp>

#include "actors/interfaces.hpp"

namespace cafio {

room_actor spawn_room(caf::actor_system& sys, std::string name);

}  // namespace cafio
