// Beast's side of the transport: the HTTP connection (one per TCP
// connection, keep-alive, one request answered at a time) and the WebSocket
// connection it may turn into. Only beast_*.cpp include Beast.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "transport/http_exchange.hpp"

namespace boost::asio {
class io_context;
}

namespace cafio::transport {

struct connection_limits {
  std::size_t max_body = 1000000;
  std::size_t max_header = 16 * 1024;
  std::size_t max_send_queue_bytes = 16 * 1024 * 1024;
  /// permessage-deflate when the client offers it; messages under the
  /// threshold, or sent with compress == false, go uncompressed.
  bool per_message_deflate = false;
  std::size_t deflate_threshold = 1024;
};

/// Receives every complete request, on the connection's I/O thread. It must
/// answer, or keep the exchange to answer it later, or accept a WebSocket.
using request_router = std::function<void(http_exchange_ptr)>;

class beast_listener {
 public:
  beast_listener(std::size_t io_threads, connection_limits limits, request_router router);
  ~beast_listener();
  beast_listener(const beast_listener&) = delete;
  beast_listener& operator=(const beast_listener&) = delete;

  /// Binds and starts accepting. Returns the bound port, or 0 with `error`
  /// set (port 0 binds an ephemeral port).
  std::uint16_t listen(const std::string& host, std::uint16_t port, std::string& error);

  /// Serves HTTPS and WSS with this PEM certificate (chain) and key, from
  /// now on. Returns false with `error` set if they cannot be used.
  bool use_tls(const std::string& certificate_file, const std::string& key_file,
               std::string& error);

  /// Stops accepting new connections; existing ones go on.
  void stop_accepting();

  /// Stops the I/O threads and waits for them. Connections still open are
  /// destroyed with the I/O context.
  void shutdown();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace cafio::transport
