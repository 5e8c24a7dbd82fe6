// The transport actor: one per Engine.IO session. It owns the session's state
// machine (current transport, upgrade, heartbeat, polling buffer) and is the
// only way bytes reach the client; see DESIGN.md "Actors and what they own".
// It also hosts the layer above, the Socket.IO client (session_upper.hpp),
// so that a connection is one actor.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/typed_actor.hpp>

#include "transport/engineio_options.hpp"
#include "transport/http_exchange.hpp"
#include "transport/session_interface.hpp"
#include "transport/websocket_channel.hpp"

// Beast-side handles never leave the node: they are local-only messages.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cafio::transport::http_exchange_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cafio::transport::websocket_channel_ptr)

namespace cafio::transport {

using poll_atom = caf::atom_constant<caf::atom("eio_poll")>;
using post_atom = caf::atom_constant<caf::atom("eio_post")>;
using ws_open_atom = caf::atom_constant<caf::atom("eio_wsopen")>;
using ws_packet_atom = caf::atom_constant<caf::atom("eio_wspkt")>;
using ws_closed_atom = caf::atom_constant<caf::atom("eio_wsend")>;
using poll_abort_atom = caf::atom_constant<caf::atom("eio_pabort")>;
using timer_atom = caf::atom_constant<caf::atom("eio_timer")>;

enum class session_timer : std::uint8_t { ping, ping_timeout, upgrade_timeout, close_timeout };

/// The full interface of the transport actor: what the upper layer may send
/// (session_handle) plus what the I/O side and the actor's own timers send.
using transport_actor = session_handle::extend<
    /// A polling GET for this session.
    caf::reacts_to<poll_atom, http_exchange_ptr>,
    /// A polling POST (the body is in the request).
    caf::reacts_to<post_atom, http_exchange_ptr>,
    /// A WebSocket opened with this session's sid: an upgrade candidate.
    caf::reacts_to<ws_open_atom, websocket_channel_ptr>,
    /// A packet read from the WebSocket channel with this id.
    caf::reacts_to<ws_packet_atom, std::uint64_t, engineio::packet>,
    /// The WebSocket channel with this id ended.
    caf::reacts_to<ws_closed_atom, std::uint64_t, close_reason>,
    /// The client of the held poll with this exchange id went away.
    caf::reacts_to<poll_abort_atom, std::uint64_t>,
    /// The server closes the session for this reason (e.g. shutdown).
    caf::reacts_to<caf::close_atom, close_reason>,
    caf::reacts_to<timer_atom, session_timer, std::uint64_t>>;

/// A session as the request router sees it.
struct session_entry {
  transport_actor actor;
  /// Requests naming the session must speak its protocol (engine.io's
  /// PROTOCOL_MISMATCH check).
  engineio::protocol_version version = engineio::protocol_version::v4;
};

/// sid → session, shared by the I/O threads that route requests. A plain
/// locked map: lookups are short and only polling requests and handshakes
/// take them, never the WebSocket data path.
class session_table {
 public:
  void insert(const std::string& sid, session_entry entry);
  std::optional<session_entry> find(const std::string& sid) const;
  void erase(const std::string& sid);
  std::vector<transport_actor> all() const;
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, session_entry> sessions_;
};

/// What every session of one Engine.IO server shares (immutable but for the
/// table).
struct engine_context {
  engine_context(caf::actor_system& sys, engineio_options opts, upper_factory f)
      : system(sys), options(std::move(opts)), factory(std::move(f)) {}
  caf::actor_system& system;
  const engineio_options options;
  const upper_factory factory;
  session_table sessions;
  /// Transport actors whose state still exists. A session leaves the table
  /// as soon as it ends, but its state (holding Beast connections) goes a
  /// moment later; shutdown waits for this to reach zero before it stops
  /// the I/O context those connections belong to.
  std::atomic<std::size_t> live_sessions{0};
  /// Set when the server stops: no new sessions, while the existing ones
  /// may still come back (a polling client fetching its close packet).
  std::atomic<bool> stopping{false};
};

/// How a session starts: by a polling handshake GET (answered with the open
/// packet) or by a WebSocket (the open packet is its first message).
struct session_start {
  std::string sid;
  engineio::protocol_version version = engineio::protocol_version::v4;
  bool supports_binary = true;
  /// Set for a JSONP polling session (handshake with `j`): the callback
  /// index its responses call.
  std::optional<std::string> jsonp_index;
  std::shared_ptr<const handshake_request> request;
  http_exchange_ptr handshake;    // set for polling
  websocket_channel_ptr channel;  // set for websocket
};

/// Spawns the transport actor of a new session and registers it in the table.
transport_actor spawn_session(std::shared_ptr<engine_context> context, session_start start);

}  // namespace cafio::transport
