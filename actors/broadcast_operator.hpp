// An immutable builder of a broadcast (socket.io's broadcast-operator.ts):
// target rooms, excluded rooms, flags; emit() encodes the packet once and
// hands it to the namespace actor, which fans it out through the rooms.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "actors/event.hpp"
#include "actors/interfaces.hpp"

namespace cafio {

class broadcast_operator {
 public:
  broadcast_operator(namespace_actor ns, std::string nsp, std::string sender = {});

  /// Targets the sockets in `room` too (chainable; the union of all rooms).
  broadcast_operator to(std::string room) const;
  broadcast_operator to(const std::vector<std::string>& rooms) const;
  broadcast_operator in(const std::vector<std::string>& rooms) const { return to(rooms); }
  broadcast_operator in(std::string room) const { return to(std::move(room)); }
  /// Skips the sockets in `room` / in any of `rooms`.
  broadcast_operator except(std::string room) const;
  broadcast_operator except(const std::vector<std::string>& rooms) const;
  /// Only this node (no effect on a single node).
  broadcast_operator local() const;
  /// Dropped for sockets whose transport cannot write right now.
  broadcast_operator volatile_() const;
  broadcast_operator compress(bool value) const;

  /// Emits to every targeted socket. Refused for reserved event names.
  emit_status emit(const std::string& event, args arguments = {}) const;
  template <class T, class... Ts>
  emit_status emit(const std::string& event, T&& x, Ts&&... xs) const {
    return emit(event, make_args(std::forward<T>(x), std::forward<Ts>(xs)...));
  }

  /// The ids of the targeted sockets. Called inside the calling socket's
  /// actor when used from a handler, else on the calling thread (blocking).
  void fetch_socket_ids(std::function<void(std::vector<std::string>)> callback) const;

  /// Infos of the targeted sockets (socket.io's fetchSockets()).
  void fetch_sockets(std::function<void(std::vector<socket_info>)> callback) const;

  /// Makes the targeted sockets join / leave rooms. The namespace applies it
  /// before it handles anything sent after; `done` (optional) runs once it
  /// has (inside the calling socket's actor when used from a handler).
  void sockets_join(std::vector<std::string> rooms, std::function<void()> done = {}) const;
  void sockets_leave(std::vector<std::string> rooms, std::function<void()> done = {}) const;

  /// Disconnects the targeted sockets (close: their whole connections).
  void disconnect_sockets(bool close = false, std::function<void()> done = {}) const;

  const std::string& nsp() const { return nsp_; }

 private:
  socket_query query() const;

  namespace_actor ns_;
  std::string nsp_;
  std::string sender_;
  std::vector<std::string> rooms_;
  std::vector<std::string> except_;
  bool local_ = false;
  bool volatile_flag_ = false;
  bool compress_ = true;
};

/// Encodes a Socket.IO packet for the transport (text + attachments).
transport::outgoing make_outgoing(const socketio::packet& packet, bool is_volatile = false,
                                  bool compress = true);

/// The EVENT packet of emit(event, args...), or an error for reserved names.
result<socketio::packet> make_event_packet(const std::string& nsp, const std::string& event,
                                           args arguments);

}  // namespace cafio
