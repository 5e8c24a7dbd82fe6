// The namespace directory of a server: routes each CONNECT to its namespace
// or refuses it with "Invalid namespace".
#pragma once

#include <caf/actor_system.hpp>

#include "actors/interfaces.hpp"

namespace cafio {

registry_actor spawn_registry(caf::actor_system& sys);

}  // namespace cafio
