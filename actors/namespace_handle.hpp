// A thread-safe handle to a namespace (socket.io's Namespace: io.of(name)).
// Copyable; usable from any thread and from inside socket handlers.
#pragma once

#include <string>

#include <caf/actor_system.hpp>

#include "actors/broadcast_operator.hpp"
#include "actors/interfaces.hpp"
#include "actors/namespace_config.hpp"

namespace cafio {

class namespace_handle {
 public:
  namespace_handle(caf::actor_system& sys, namespace_actor actor, std::string name);

  const std::string& name() const { return name_; }
  /// The namespace actor, for other actors to talk to (actors/README.md).
  const namespace_actor& actor() const { return actor_; }

  /// Adds a connect middleware / connection handler. Takes effect for the
  /// sockets that connect after the call returns.
  namespace_handle& use(connect_middleware middleware);
  namespace_handle& on_connection(connection_handler handler);

  broadcast_operator to(std::string room) const { return all().to(std::move(room)); }
  broadcast_operator in(std::string room) const { return to(std::move(room)); }
  broadcast_operator except(std::string room) const { return all().except(std::move(room)); }
  broadcast_operator local() const { return all().local(); }
  broadcast_operator volatile_() const { return all().volatile_(); }
  broadcast_operator compress(bool value) const { return all().compress(value); }

  /// Emits to every socket of the namespace.
  emit_status emit(const std::string& event, args arguments = {}) const {
    return all().emit(event, std::move(arguments));
  }
  template <class T, class... Ts>
  emit_status emit(const std::string& event, T&& x, Ts&&... xs) const {
    return all().emit(event, std::forward<T>(x), std::forward<Ts>(xs)...);
  }

  void fetch_sockets(std::function<void(std::vector<socket_info>)> callback) const {
    all().fetch_sockets(std::move(callback));
  }
  void sockets_join(std::vector<std::string> rooms, std::function<void()> done = {}) const {
    all().sockets_join(std::move(rooms), std::move(done));
  }
  void sockets_leave(std::vector<std::string> rooms, std::function<void()> done = {}) const {
    all().sockets_leave(std::move(rooms), std::move(done));
  }
  void disconnect_sockets(bool close = false, std::function<void()> done = {}) const {
    all().disconnect_sockets(close, std::move(done));
  }
  /// Every socket of the namespace, to chain in()/except()/... onto.
  broadcast_operator all() const { return broadcast_operator{actor_, name_}; }

  /// Emits to the other nodes of a cluster (serverSideEmit). A single node
  /// has no peers: nothing is sent and the result is 0, the number of
  /// nodes reached. Reserved event names are refused.
  std::size_t server_side_emit(const std::string& event, args arguments = {}) const;

 private:
  void update(std::function<void(namespace_config&)> change);

  caf::actor_system* sys_;
  namespace_actor actor_;
  std::string name_;
};

}  // namespace cafio
