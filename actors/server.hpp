// The Socket.IO server (socket.io's Server): namespaces, the Engine.IO server
// under them, listen and close.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <string>

#include <caf/actor_system.hpp>

#include "actors/client.hpp"
#include "actors/namespace_handle.hpp"
#include "transport/engineio_options.hpp"

namespace cafio {

namespace transport {
class engineio_server;
}

struct server_options {
  server_options() { engine.path = "/socket.io/"; }

  /// Engine.IO options: path (default "/socket.io/"), pingInterval,
  /// pingTimeout, maxHttpBufferSize, transports, upgrades, cors, cookie,
  /// allowRequest, allowEIO3.
  transport::engineio_options engine;
  /// Time a new connection has to connect a namespace.
  std::chrono::milliseconds connect_timeout{45000};
  /// Most binary attachments one packet may carry.
  std::size_t max_attachments = 10;
  /// I/O threads for Beast (0: one per core).
  std::size_t io_threads = 0;
};

class server {
 public:
  explicit server(caf::actor_system& sys, server_options options = {});
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// The namespace `name` ("/chat"), created on first use.
  namespace_handle of(const std::string& name);
  /// A dynamic namespace: a parent whose middlewares and handlers every
  /// namespace with a matching name gets, created on its first CONNECT
  /// (io.of(/regex/)). Broadcasts and queries on it reach all its children.
  namespace_handle of(const std::regex& pattern);
  /// The same with a predicate on the name and the auth payload
  /// (io.of((name, auth, next) => next(null, accept))).
  namespace_handle of(std::function<bool(const std::string& name, const json& auth)> accepts);

  /// The main namespace "/".
  namespace_handle sockets() { return of("/"); }

  server& use(connect_middleware middleware);
  server& on_connection(connection_handler handler);
  broadcast_operator to(std::string room) { return of("/").to(std::move(room)); }
  broadcast_operator in(std::string room) { return to(std::move(room)); }
  broadcast_operator except(std::string room) { return of("/").except(std::move(room)); }
  emit_status emit(const std::string& event, args arguments = {}) {
    return of("/").emit(event, std::move(arguments));
  }

  /// Starts serving on host:port (0: any free port). Returns the bound port,
  /// or 0 with `error` set.
  std::uint16_t listen(const std::string& host, std::uint16_t port, std::string& error);

  /// Disconnects every socket ("server shutting down"), lets pending writes
  /// go out, closes every connection and stops the I/O threads. Idempotent;
  /// the destructor calls it.
  void close();

  /// The Engine.IO server, e.g. to answer other HTTP paths.
  transport::engineio_server& engine() { return *engine_; }
  caf::actor_system& system() { return sys_; }
  const server_options& options() const { return options_; }

 private:
  caf::actor_system& sys_;
  server_options options_;
  registry_actor registry_;
  std::unique_ptr<transport::engineio_server> engine_;
  std::mutex namespaces_mutex_;  // guards namespaces_: of() may be called from any thread
  std::map<std::string, namespace_handle> namespaces_;
  std::size_t parents_ = 0;
  bool closed_ = false;
};

}  // namespace cafio
