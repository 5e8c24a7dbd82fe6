// The Engine.IO server: a Beast listener whose requests under `path` are
// Engine.IO handshakes, polls, posts and WebSockets, each session run by a
// transport actor (transport_actor.hpp). Beast-free header.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <caf/actor_system.hpp>

#include "transport/close_reason.hpp"
#include "transport/engineio_options.hpp"
#include "transport/http_exchange.hpp"
#include "transport/session_interface.hpp"

namespace cafio::transport {

class beast_listener;
struct engine_context;

/// Sees every HTTP request that is not a WebSocket upgrade before the
/// Engine.IO server does (static files, metrics, the client bundle). Returns
/// an answer, or nullopt to let the Engine.IO server handle the request (or
/// answer 404 outside its path). Runs on an I/O thread: keep it short.
using http_handler = std::function<std::optional<http_answer>(const http_request&)>;

class engineio_server {
 public:
  engineio_server(caf::actor_system& sys, engineio_options options, upper_factory factory);
  ~engineio_server();
  engineio_server(const engineio_server&) = delete;
  engineio_server& operator=(const engineio_server&) = delete;

  /// Installs the HTTP handler; call before listen().
  void set_http_handler(http_handler handler);

  /// Binds host:port and serves with `io_threads` I/O threads (0: one per
  /// core). Returns the bound port, or 0 with `error` set.
  std::uint16_t listen(const std::string& host, std::uint16_t port, std::string& error,
                       std::size_t io_threads = 0);

  /// Closes every session for `reason` (their upper layers are told), waits up
  /// to `grace` for them to flush and end, then stops the stragglers.
  void close_sessions(close_reason reason, std::chrono::milliseconds grace);

  /// Stops accepting, closes the sessions, stops the I/O threads.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(1000));

  std::size_t session_count() const;
  const engineio_options& options() const;

 private:
  std::shared_ptr<engine_context> context_;
  std::shared_ptr<http_handler> http_handler_;
  std::unique_ptr<beast_listener> listener_;
  bool stopped_ = false;
};

/// `path` with a leading and a trailing slash, as engine.io normalizes it.
std::string normalize_path(std::string path);

}  // namespace cafio::transport
