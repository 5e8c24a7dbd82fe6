// The state of a socket actor (internal): everything the Socket owns.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/handshake.hpp"
#include "actors/interfaces.hpp"
#include "actors/namespace_config.hpp"
#include "actors/socket.hpp"

namespace cafio::detail {

struct socket_state;

using socket_pointer = socket_actor::stateful_pointer<socket_state>;

/// What a namespace gives a socket it spawns.
struct socket_init {
  std::string id;
  std::string nsp;
  namespace_actor ns;
  connect_request request;
  namespace_config_ptr config;
};

struct socket_state {
  static inline const char* name = "cafio.socket";

  enum class phase : std::uint8_t { connecting, connected, disconnected };

  struct listener {
    std::string event;
    socket::listener_id id = 0;
    event_handler handler;
    bool once = false;
  };

  struct any_listener {
    socket::listener_id id = 0;
    any_handler handler;
  };

  struct pending_ack {
    ack_callback callback;
    std::uint64_t timer = 0;  // 0: no timeout
  };

  socket_pointer self = nullptr;
  std::string id;
  std::string nsp;
  namespace_actor ns;
  transport::session_handle session;  // the client runs inside its actor
  std::shared_ptr<const client_info> info;
  namespace_config_ptr config;
  // socket.handshake, built on first use from the shared request (most
  // sockets never ask): only the auth payload and the time are kept.
  json auth;
  std::int64_t created_ms = 0;
  std::unique_ptr<cafio::handshake> handshake;
  transport::transport_kind transport = transport::transport_kind::polling;
  json data;  // socket.data: null until first used (an empty object allocates)
  std::set<std::string> rooms;
  phase state = phase::connecting;
  caf::typed_response_promise<connect_result> connect_promise;

  // In the order they were added. One flat vector: a socket has a handful
  // of listeners, and a map of vectors costs an idle socket several
  // allocations.
  std::vector<listener> listeners;
  socket::listener_id next_listener_id = 1;
  std::uint64_t next_ack_id = 0;
  std::uint64_t next_timer_id = 1;

  /// What many sockets never use. Made on first use (more()), so an idle
  /// socket pays one pointer for it rather than six empty containers.
  struct extras {
    std::vector<any_listener> any_listeners;
    std::vector<any_listener> any_outgoing_listeners;
    std::vector<std::pair<socket::listener_id, std::function<void(transport::transport_kind)>>>
        upgrade_listeners;
    std::vector<packet_middleware> middlewares;
    std::unordered_map<std::uint64_t, pending_ack> acks;  // emits awaiting their ack
    std::unordered_map<std::uint64_t, std::function<void()>> timers;
  };
  std::unique_ptr<extras> extra;

  /// The extras, made if needed (to change them).
  extras& more() {
    if (!extra) extra = std::make_unique<extras>();
    return *extra;
  }
  /// The extras, or empty ones (to read them).
  const extras& some() const {
    static const extras none;
    return extra ? *extra : none;
  }

  // Flags for the next emit.
  bool next_volatile = false;
  bool next_compress = true;
  std::optional<std::chrono::milliseconds> next_timeout;

  // The ack fence: an ack the user sends while broadcasts of this socket are
  // still on their way waits for them (clients use acks as causal fences).
  std::size_t broadcasts_in_flight = 0;
  std::vector<transport::outgoing> held_acks;  // a deque would allocate for every socket

  std::unique_ptr<cafio::socket> facade;
};

/// The socket whose actor runs the current handler on this thread, if any.
/// Lets broadcast operators and namespace handles used inside a handler
/// answer inside that socket's actor.
socket_state* current_socket() noexcept;

class current_socket_scope {
 public:
  explicit current_socket_scope(socket_state* st) noexcept;
  ~current_socket_scope();
  current_socket_scope(const current_socket_scope&) = delete;
  current_socket_scope& operator=(const current_socket_scope&) = delete;

 private:
  socket_state* previous_;
};

// Operations on a socket's state, used by the actor and the facade.
void send_packet(socket_state& st, const socketio::packet& packet);
void send_outgoing(socket_state& st, transport::outgoing out);
void emit_reserved(socket_state& st, const std::string& event, args arguments);
/// Tells the onAnyOutgoing listeners about an event packet ([event, ...args]).
void notify_outgoing(socket_state& st, const json& event_array);
void track_broadcast(socket_state& st, broadcast b);
void server_disconnect(socket_state& st, bool close);

/// Spawns a socket actor that answers start_atom once connected or refused.
socket_actor spawn_socket(caf::actor_system& sys, socket_init init);

}  // namespace cafio::detail
