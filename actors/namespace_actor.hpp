// The namespace actor: connect (spawns socket actors), socket registry, room
// directory, broadcast entry point and socket queries.
#pragma once

#include <string>

#include <caf/actor_system.hpp>

#include "actors/interfaces.hpp"

namespace cafio {

namespace_actor spawn_namespace(caf::actor_system& sys, std::string name);

}  // namespace cafio
