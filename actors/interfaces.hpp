// The typed interfaces of the Socket.IO actors (DESIGN.md "Actors and what
// they own"). Any actor of the host system may talk to a namespace or room
// actor with these messages: that is the embedding story (actors/README.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/typed_actor.hpp>

#include "actors/messages.hpp"

namespace cafio {

/// The result of a CONNECT: the new socket, or why it was refused.
struct connect_result {
  caf::actor socket;  // the socket_actor, invalid when refused
  std::string id;
  /// CONNECT_ERROR payload ({message, data}) when refused.
  json error;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, connect_result& x) {
  return f(caf::meta::type_name("cafio.connect_result"), x.socket, x.id, x.error);
}

/// One Socket of the seed: one per client per namespace. Runs the user's
/// handlers, owns its rooms, listeners, ack table and middlewares.
using socket_actor = caf::typed_actor<
    /// Runs the connect middlewares; answers once connected or refused.
    caf::replies_to<start_atom>::with<connect_result>,
    /// An EVENT, ACK or DISCONNECT from its client.
    caf::reacts_to<packet_atom, socketio::packet>,
    /// A broadcast this socket's client was sent, for its onAnyOutgoing
    /// listeners (the packet itself went to the session directly).
    caf::reacts_to<deliver_atom, broadcast>,
    /// Leave the namespace for this reason; `true`: tell the client with a
    /// DISCONNECT packet (a server-side disconnect).
    caf::reacts_to<disconnect_atom, disconnect_reason, bool>,
    /// Emit an event to this socket's client (from any actor).
    caf::reacts_to<emit_atom, std::string, args>,
    /// Join rooms (sockets_join); answers when done.
    caf::replies_to<caf::join_atom, std::vector<std::string>>::with<bool>,
    /// Leave rooms (sockets_leave); answers when done.
    caf::replies_to<caf::leave_atom, std::vector<std::string>>::with<bool>,
    /// What fetch_sockets() reports of this socket.
    caf::replies_to<caf::get_atom>::with<socket_info>,
    /// The user answered the client's ack with this id.
    caf::reacts_to<ack_out_atom, std::uint64_t, args>,
    /// Runs a task inside the socket (middleware continuations, callbacks).
    caf::reacts_to<run_atom, socket_task>,
    /// A timer set by the socket itself (ack timeouts, user timers).
    caf::reacts_to<timer_atom, std::uint64_t>,
    /// Its connection moved to another transport (socket.conn "upgrade").
    caf::reacts_to<transport::upgraded_atom, transport::transport_kind>>;

/// A room: its members, and the fan-out of broadcasts to them. Spawned by its
/// namespace on the first join, stopped by it when the last member leaves.
/// A broadcast goes from the room straight to each member's session sink:
/// on WebSocket, straight onto the connection's strand.
using room_actor = caf::typed_actor<
    /// (socket id, socket, its session's sink)
    caf::replies_to<caf::join_atom, std::string, socket_actor,
                    transport::session_sink_ptr>::with<bool>,
    caf::replies_to<caf::leave_atom, std::string>::with<bool>,
    /// Whether a member wants to see the broadcasts it receives
    /// (onAnyOutgoing listeners).
    caf::reacts_to<caf::update_atom, std::string, bool>,
    /// Delivers to every member but the sender and the excluded; answers once
    /// all their sessions have it in their mailboxes.
    caf::replies_to<deliver_atom, broadcast>::with<bool>,
    /// The ids of the members.
    caf::replies_to<members_atom>::with<std::vector<std::string>>>;

/// A CONNECT from a client for one namespace. Local-only.
struct connect_request {
  std::string nsp;
  json auth;
  /// The client's Engine.IO session; the client runs inside its actor and
  /// hears from the socket through it (client.hpp, client_signal).
  transport::session_handle session;
  std::shared_ptr<const client_info> info;
};

}  // namespace cafio

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cafio::connect_request)

namespace cafio {

struct namespace_config;

/// Local-only: a change to the namespace's middlewares and handlers.
struct namespace_config_update {
  std::function<void(namespace_config&)> apply;
};

}  // namespace cafio

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cafio::namespace_config_update)

namespace cafio {

/// A namespace: connect middlewares (io.use), the socket registry, the room
/// directory, the entry point of broadcasts and socket queries.
using namespace_actor = caf::typed_actor<
    /// A client connects: runs the middlewares in a new socket actor.
    caf::replies_to<connect_atom, connect_request>::with<connect_result>,
    /// A socket finished connecting (id, socket, its session) / left.
    caf::reacts_to<caf::put_atom, std::string, socket_actor, transport::session_sink_ptr>,
    /// A socket starts or stops listening to its outgoing broadcasts.
    caf::reacts_to<caf::update_atom, std::string, bool>, caf::reacts_to<gone_atom, std::string>,
    /// Room membership of one socket: (room, socket id).
    caf::replies_to<caf::join_atom, std::string, std::string>::with<bool>,
    caf::replies_to<caf::leave_atom, std::string, std::string>::with<bool>,
    /// Broadcast; answers once every target room has handed it to its members.
    caf::replies_to<broadcast_atom, broadcast>::with<bool>,
    /// Socket queries: ids, full infos, join, leave, disconnect.
    caf::replies_to<members_atom, socket_query>::with<std::vector<std::string>>,
    caf::replies_to<fetch_atom, socket_query>::with<std::vector<socket_info>>,
    caf::replies_to<caf::join_atom, socket_query, std::vector<std::string>>::with<bool>,
    caf::replies_to<caf::leave_atom, socket_query, std::vector<std::string>>::with<bool>,
    caf::replies_to<disconnect_atom, socket_query, bool>::with<bool>,
    /// Replaces the middlewares and handlers (local-only).
    caf::replies_to<config_atom, namespace_config_update>::with<bool>,
    /// Disconnects every socket for this reason, then stops (server close).
    caf::replies_to<caf::close_atom, disconnect_reason>::with<bool>>;

/// Decides whether a CONNECT to an unknown namespace `name` (with this auth
/// payload) creates it: io.of(regex) / io.of((name, auth, next) => ...).
/// Local-only.
struct namespace_matcher {
  std::function<bool(const std::string& name, const json& auth)> accepts;
};

}  // namespace cafio

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cafio::namespace_matcher)

namespace cafio {

/// The namespace directory of a server: routes a CONNECT to its namespace.
using registry_actor =
    caf::typed_actor<caf::replies_to<connect_atom, connect_request>::with<connect_result>,
                     /// Registers a namespace actor under its name.
                     caf::replies_to<caf::put_atom, std::string, namespace_actor>::with<bool>,
                     /// Registers a parent namespace for the names its matcher accepts.
                     caf::replies_to<caf::put_atom, namespace_matcher, namespace_actor>::with<bool>,
                     /// Stops every namespace (after disconnecting their sockets), then itself.
                     caf::replies_to<caf::close_atom, disconnect_reason>::with<bool>>;

}  // namespace cafio
