// The Socket of the seed (socket.io's lib/socket.ts), as user code sees it
// inside its handlers. A `cafio::socket&` is only valid inside the socket's
// own actor: every handler, middleware and callback of this API runs there,
// so user code never needs a lock. From elsewhere, talk to handle().
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "actors/broadcast_operator.hpp"
#include "actors/event.hpp"
#include "actors/handshake.hpp"
#include "actors/interfaces.hpp"

namespace cafio {

namespace detail {
struct socket_state;
}

class namespace_handle;
class socket;

/// What an emit with an ack returns: attach the continuation with then().
class ack_promise {
 public:
  ack_promise() = default;
  explicit ack_promise(std::shared_ptr<ack_callback> slot, std::optional<std::string> error = {})
      : slot_(std::move(slot)), error_(std::move(error)) {}
  /// Runs `f` with the answer (or the error) inside the socket's actor.
  void then(ack_callback f);

 private:
  std::shared_ptr<ack_callback> slot_;
  std::optional<std::string> error_;
};

/// socket.conn: the Engine.IO connection under a socket.
class connection {
 public:
  explicit connection(detail::socket_state& state) : st_(state) {}
  /// The Engine.IO session id.
  const std::string& id() const;
  /// "polling" or "websocket" (conn.transport.name).
  transport::transport_kind transport() const;
  /// 3 or 4 (conn.protocol).
  int protocol() const;
  /// conn.on("upgrade", ...): runs, inside the socket's actor, when the
  /// connection moves to WebSocket.
  void on_upgrade(std::function<void(transport::transport_kind)> handler);
  /// Closes the connection without DISCONNECT packets (conn.close()).
  void close();

 private:
  detail::socket_state& st_;
};

using event_handler = std::function<void(args&, ack)>;

/// socket.onAny((event, ...args) => ...)
using any_handler = std::function<void(const std::string& event, args&)>;

/// socket.use(([event, ...args], next) => ...): runs for every incoming event.
struct event_packet {
  std::string event;
  args arguments;
};
using packet_middleware = std::function<void(event_packet&, next)>;

class socket {
 public:
  explicit socket(detail::socket_state& state) : st_(state) {}
  socket(const socket&) = delete;
  socket& operator=(const socket&) = delete;

  // -- identity ---------------------------------------------------------------

  const std::string& id() const;
  /// The namespace's name ("/", "/chat").
  const std::string& nsp_name() const;
  /// The namespace, to broadcast to it or query it (socket.nsp).
  namespace_handle nsp() const;
  /// Rooms the socket is in, its own id included, sorted.
  const std::set<std::string>& rooms() const;
  const cafio::handshake& handshake() const;
  /// The request that opened the connection (socket.request): method, URL,
  /// headers, peer address.
  const transport::handshake_request& request() const;
  bool connected() const;
  /// Arbitrary per-socket data (socket.data), reported by fetch_sockets().
  json& data();
  /// The Engine.IO session id (socket.conn.id) and its transport.
  const std::string& engine_id() const;
  transport::transport_kind transport() const;
  /// The underlying Engine.IO connection (socket.conn).
  connection conn();
  socket_actor handle() const;

  // -- listeners ----------------------------------------------------------------

  using listener_id = std::uint64_t;

  /// Handles `event`. `f` takes (args&) or (args&, ack).
  template <class F>
  socket& on(const std::string& event, F&& f) {
    add_listener(event, std::forward<F>(f), false);
    return *this;
  }
  /// Handles `event` once, then forgets the handler.
  template <class F>
  socket& once(const std::string& event, F&& f) {
    add_listener(event, std::forward<F>(f), true);
    return *this;
  }
  /// on() / once() that returns an id for remove_listener().
  template <class F>
  listener_id add_listener(const std::string& event, F&& f, bool once = false) {
    return add_listener_impl(event, adapt(std::forward<F>(f)), once);
  }
  /// Removes one listener (socket.removeListener / off(event, fn)).
  socket& remove_listener(const std::string& event, listener_id id);
  /// Removes every listener of `event` (removeAllListeners(event)).
  socket& off(const std::string& event);
  socket& remove_all_listeners();
  std::vector<std::string> event_names() const;
  /// The listeners of `event`, in call order.
  std::vector<listener_id> listeners(const std::string& event) const;
  std::size_t listener_count(const std::string& event) const;

  /// Catch-all listeners of incoming events (onAny / prependAny / offAny).
  socket& on_any(any_handler handler) {
    add_any_listener(std::move(handler));
    return *this;
  }
  socket& prepend_any(any_handler handler) {
    add_any_listener(std::move(handler), true);
    return *this;
  }
  listener_id add_any_listener(any_handler handler, bool prepend = false);
  socket& off_any();
  socket& off_any(listener_id id);
  std::vector<listener_id> listeners_any() const;

  /// Catch-all listeners of outgoing events: emits to this socket's client
  /// and broadcasts it receives (onAnyOutgoing / prependAnyOutgoing).
  socket& on_any_outgoing(any_handler handler) {
    add_any_outgoing_listener(std::move(handler));
    return *this;
  }
  socket& prepend_any_outgoing(any_handler handler) {
    add_any_outgoing_listener(std::move(handler), true);
    return *this;
  }
  listener_id add_any_outgoing_listener(any_handler handler, bool prepend = false);
  socket& off_any_outgoing();
  socket& off_any_outgoing(listener_id id);
  std::vector<listener_id> listeners_any_outgoing() const;

  /// Registers a packet middleware (socket.use).
  socket& use(packet_middleware middleware);

  // -- emitting -----------------------------------------------------------------

  /// Emits `event` to this socket's client. Refused for reserved names.
  emit_status emit(const std::string& event, args arguments = {});
  template <class T, class... Ts>
  emit_status emit(const std::string& event, T&& x, Ts&&... xs) {
    return emit(event, make_args(std::forward<T>(x), std::forward<Ts>(xs)...));
  }
  /// Emits and calls `callback` with the client's answer (or a timeout
  /// error when timeout() was set), inside this socket's actor.
  emit_status emit_with_ack(const std::string& event, args arguments, ack_callback callback);
  /// Promise style: s.emit_with_ack("ev", args).then([](ack_response r) {...}).
  /// The continuation runs inside this socket's actor; a refused emit
  /// (reserved name) calls it at once with the error.
  ack_promise emit_with_ack(const std::string& event, args arguments);
  /// socket.send(...args) ≡ emit("message", ...args)
  emit_status send(args arguments) { return emit("message", std::move(arguments)); }

  /// Flags for the next emit only.
  socket& volatile_();
  socket& compress(bool value);
  socket& binary(bool value);  // a hint; binary is detected anyway
  socket& timeout(std::chrono::milliseconds value);

  // -- rooms --------------------------------------------------------------------

  /// Joins room(s); rooms() has them at once, `done` runs once the rooms do.
  void join(const std::string& room, std::function<void()> done = {});
  void join(const std::vector<std::string>& rooms, std::function<void()> done = {});
  void leave(const std::string& room, std::function<void()> done = {});

  /// Broadcasts to room(s), the sender excluded (socket.to / socket.in).
  broadcast_operator to(std::string room) const;
  broadcast_operator to(const std::vector<std::string>& rooms) const;
  broadcast_operator in(std::string room) const { return to(std::move(room)); }
  broadcast_operator except(std::string room) const;
  /// Every socket of the namespace but this one (socket.broadcast).
  broadcast_operator broadcast() const;
  /// socket.local: like broadcast(), this node only.
  broadcast_operator local() const { return broadcast().local(); }

  // -- lifecycle ----------------------------------------------------------------

  /// Leaves the namespace (close: closes the whole connection).
  void disconnect(bool close = false);

  /// Closes the Engine.IO connection without any DISCONNECT packet
  /// (socket.conn.close()): the client sees "transport close".
  void close_transport() { conn().close(); }

  /// Runs `fn` inside this socket's actor after `delay`.
  void after(std::chrono::milliseconds delay, std::function<void()> fn);

 private:
  template <class F>
  static event_handler adapt(F&& f) {
    if constexpr (std::is_invocable_v<F&, args&, ack>) {
      return event_handler(std::forward<F>(f));
    } else {
      static_assert(std::is_invocable_v<F&, args&>,
                    "a handler takes (cafio::args&) or (cafio::args&, cafio::ack)");
      return [g = std::forward<F>(f)](args& a, ack) mutable { g(a); };
    }
  }
  listener_id add_listener_impl(const std::string& event, event_handler handler, bool once);

  detail::socket_state& st_;
};

}  // namespace cafio
