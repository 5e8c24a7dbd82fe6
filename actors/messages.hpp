// The messages Socket.IO actors exchange. Those that may one day cross a
// node boundary (broadcasts, socket queries and their answers) have inspect
// overloads; the ones that carry local handles or functions are marked
// local-only below.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/meta/type_name.hpp>

#include "actors/disconnect_reason.hpp"
#include "actors/event.hpp"
#include "actors/json_inspect.hpp"
#include "protocol/socketio_packet.hpp"
#include "transport/logger.hpp"
#include "transport/metrics.hpp"
#include "transport/session_interface.hpp"
#include "transport/session_sink.hpp"

namespace cafio::socketio {

// Lets Socket.IO packets travel in CAF messages.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, packet& x) {
  bool has_id = false;
  std::uint64_t id = 0;
  bool has_data = false;
  nlohmann::json data;
  if constexpr (Inspector::reads_state) {
    has_id = x.id.has_value();
    id = x.id.value_or(0);
    has_data = x.data.has_value();
    if (has_data) data = *x.data;
  }
  return f(caf::meta::type_name("cafio.socketio.packet"), x.type, x.nsp, has_id, id, has_data, data,
           caf::meta::load_callback([&]() -> caf::error {
             x.id = has_id ? std::optional<std::uint64_t>(id) : std::nullopt;
             x.data = has_data ? std::optional<nlohmann::json>(std::move(data)) : std::nullopt;
             return caf::none;
           }));
}

}  // namespace cafio::socketio

namespace cafio {

using connect_atom = caf::atom_constant<caf::atom("sio_conn")>;
using start_atom = caf::atom_constant<caf::atom("sio_start")>;
using packet_atom = caf::atom_constant<caf::atom("sio_pkt")>;
using deliver_atom = caf::atom_constant<caf::atom("sio_dlv")>;
using broadcast_atom = caf::atom_constant<caf::atom("sio_bcast")>;
using disconnect_atom = caf::atom_constant<caf::atom("sio_disc")>;
using emit_atom = caf::atom_constant<caf::atom("sio_emit")>;
using members_atom = caf::atom_constant<caf::atom("sio_membrs")>;
using fetch_atom = caf::atom_constant<caf::atom("sio_fetch")>;
using ack_out_atom = caf::atom_constant<caf::atom("sio_ackout")>;
using run_atom = caf::atom_constant<caf::atom("sio_run")>;
using timer_atom = caf::atom_constant<caf::atom("sio_timer")>;
using gone_atom = caf::atom_constant<caf::atom("sio_gone")>;
using config_atom = caf::atom_constant<caf::atom("sio_cfg")>;

/// A broadcast, encoded once at its source and shared, immutable, by every
/// room and socket it passes through (DESIGN.md "broadcast").
struct broadcast_data {
  /// Target rooms; empty means every socket of the namespace.
  std::vector<std::string> rooms;
  /// Members of these rooms are skipped.
  std::vector<std::string> except;
  /// The ids of the members of the `except` rooms, resolved by the namespace
  /// before it hands a broadcast to a room.
  std::vector<std::string> excluded;
  /// A socket id to skip: the sender of socket.to(...) / socket.broadcast.
  std::string sender;
  /// Unique per broadcast (cross-node deduplication).
  std::uint64_t id = 0;
  /// Not forwarded to other nodes.
  bool local = false;
  transport::outgoing packet;
  /// The event as [name, ...args], for the recipients' onAnyOutgoing
  /// listeners (the wire bytes are in `packet`).
  json event;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, broadcast_data& x) {
  return f(caf::meta::type_name("cafio.broadcast_data"), x.rooms, x.except, x.sender, x.id, x.local,
           x.packet);
}

struct broadcast {
  std::shared_ptr<const broadcast_data> data;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, broadcast& x) {
  broadcast_data tmp;
  if constexpr (Inspector::reads_state) {
    if (x.data) tmp = *x.data;
  }
  return f(caf::meta::type_name("cafio.broadcast"), tmp,
           caf::meta::load_callback([&]() -> caf::error {
             x.data = std::make_shared<const broadcast_data>(std::move(tmp));
             return caf::none;
           }));
}

/// Returns a process-unique broadcast id.
std::uint64_t next_broadcast_id();

/// Which sockets of a namespace an operation targets (io.in(...).except(...)).
struct socket_query {
  std::vector<std::string> rooms;  // empty: all sockets
  std::vector<std::string> except;
  bool local = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, socket_query& x) {
  return f(caf::meta::type_name("cafio.socket_query"), x.rooms, x.except, x.local);
}

/// What fetch_sockets() returns of each socket (socket.io's RemoteSocket):
/// a snapshot of its state, and operations that go to the socket's actor.
struct socket_info {
  std::string id;
  std::string nsp;
  std::vector<std::string> rooms;  // sorted
  json data;                       // socket.data
  transport::handshake_request request;
  json auth;
  caf::actor socket;  // the socket_actor

  /// Emits to this socket's client.
  void emit(const std::string& event, args arguments = {}) const;
  void join(std::vector<std::string> rooms) const;
  void leave(std::vector<std::string> rooms) const;
  void disconnect(bool close = false) const;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, socket_info& x) {
  return f(caf::meta::type_name("cafio.socket_info"), x.id, x.nsp, x.rooms, x.data, x.request,
           x.auth, x.socket);
}

class socket;

/// Work to run inside a socket actor (a middleware continuing, an operation
/// asked from outside such as disconnect_sockets). Local-only.
struct socket_task {
  std::function<void(socket&)> run;
};

/// Everything a socket learns about its Engine.IO connection. Shared by the
/// sockets of one client; local-only.
struct client_info {
  std::string engine_sid;
  socketio::protocol_version protocol = socketio::protocol_version::v5;
  transport::transport_kind transport = transport::transport_kind::polling;
  std::shared_ptr<const transport::handshake_request> request;
  logger_ptr log;     // may be null
  metrics_ptr stats;  // may be null
  /// Where the sockets, rooms and namespace send this client's packets.
  transport::session_sink_ptr sink;
};

}  // namespace cafio

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cafio::transport::session_sink_ptr)

namespace cafio {}  // namespace cafio

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cafio::socket_task)
