// The namespace actor: connect (spawns socket actors), socket registry, room
// directory, broadcast entry point and socket queries.
#pragma once

#include <string>

#include <caf/actor_system.hpp>

#include "actors/interfaces.hpp"
#include "actors/namespace_config.hpp"
#include "transport/metrics.hpp"

namespace cafio {

/// `stats` (may be null) keeps the namespace's gauges and its broadcasts.
namespace_actor spawn_namespace(caf::actor_system& sys, std::string name,
                                metrics_ptr stats = nullptr);

/// A namespace starting with a copy of `config` (a parent's child).
namespace_actor spawn_namespace(caf::actor_system& sys, std::string name,
                                namespace_config_ptr config, metrics_ptr stats = nullptr);

/// A parent namespace: it answers a CONNECT for another name (that its
/// matcher accepted) by creating that child namespace, registering it with
/// `registry`, and passing the CONNECT on.
namespace_actor spawn_parent_namespace(caf::actor_system& sys, std::string name,
                                       registry_actor registry, metrics_ptr stats = nullptr);

}  // namespace cafio
