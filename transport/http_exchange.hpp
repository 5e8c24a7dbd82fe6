// The Beast-free view of one HTTP request awaiting its answer, so that the
// session actor and the Engine.IO routing compile without Beast (Beast code
// lives in beast_*.cpp only, for build times and layering).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/engineio_packet.hpp"

namespace cafio::transport {

class websocket_channel;

using header_list = std::vector<std::pair<std::string, std::string>>;

/// How a WebSocket frames Engine.IO packets.
struct websocket_framing {
  engineio::protocol_version version = engineio::protocol_version::v4;
  /// Engine.IO v3 clients that asked for base64 (b64=1): binary packets
  /// travel as "b<type><base64>" text frames (engine.io's supportsBinary).
  bool base64_binary = false;
};

struct http_request {
  std::string method;   // "GET", "POST", ...
  std::string target;   // path and query as sent
  std::string path;     // target up to '?'
  std::string query;    // target after '?', without it
  header_list headers;  // names lower-cased, in order
  std::string body;
  std::string remote_address;
  bool websocket_upgrade = false;
  bool secure = false;

  /// The value of the header named `name` (lower case), or nullptr.
  const std::string* header(std::string_view name) const;
};

struct http_answer {
  int status = 200;
  std::string content_type;  // no Content-Type header when empty
  std::string body;
  header_list headers;
  /// Close the connection after this answer (e.g. after a 413).
  bool close_connection = false;
};

/// One request held until it is answered. respond() is thread-safe and takes
/// effect once; later calls are ignored.
class http_exchange {
 public:
  virtual ~http_exchange() = default;

  virtual const http_request& request() const = 0;

  /// A process-unique number, so messages can name the exchange.
  virtual std::uint64_t id() const = 0;

  virtual void respond(http_answer answer) = 0;

  /// Called (once, on an I/O thread) if the client goes away before the answer.
  virtual void on_abort(std::function<void()> callback) = 0;

  /// The answer given if the exchange is destroyed unanswered: a request
  /// sent to a session actor that ended before reading it is dropped with
  /// the actor's mailbox, and must not leave its client waiting.
  virtual void answer_if_dropped(std::function<http_answer(const http_request&)> make_answer) = 0;

  /// Accepts a WebSocket upgrade of this request. `on_open` runs on an I/O
  /// thread once the WebSocket handshake succeeded.
  virtual void accept_websocket(
      websocket_framing framing, std::size_t max_message_size,
      std::function<void(std::shared_ptr<websocket_channel>)> on_open) = 0;
};

using http_exchange_ptr = std::shared_ptr<http_exchange>;

}  // namespace cafio::transport
