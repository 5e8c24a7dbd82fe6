// The demo's roster: a plain CAF actor beside the sockets. Told that a room
// changed, it asks the namespace for its sockets (the typed fetch message of
// actors/README.md, socket.io's fetchSockets) and pushes, from each socket's
// data (nickname, room), the member list of that room to the room and the
// room list to everyone.
//
// Why an actor of its own: a socket's query answers inside that socket's
// actor, and a socket's actor quits right after its "disconnect" handler, so
// a socket cannot refresh the list it has just left.
#pragma once

#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/typed_actor.hpp>

#include "actors/namespace_handle.hpp"

namespace cafio::node {

using refresh_atom = caf::atom_constant<caf::atom("dm_refresh")>;

/// (refresh, room): the members of `room` may have changed ("" for none,
/// only the room list).
using roster_actor = caf::typed_actor<caf::reacts_to<refresh_atom, std::string>>;

/// The rooms of the demo are socket.io rooms named "room:<name>", so that no
/// room name a user types can be a socket id (every socket is in the room of
/// its own id).
std::string room_key(const std::string& name);

/// Spawns the roster of `nsp`; it stops when the namespace does.
/// `default_rooms` are listed even when empty.
roster_actor spawn_roster(caf::actor_system& sys, namespace_handle nsp,
                          std::vector<std::string> default_rooms);

}  // namespace cafio::node
