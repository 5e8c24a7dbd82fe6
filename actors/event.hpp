// The values user code handles: event arguments, the ack callback of an
// incoming event, the answer to an outgoing one, middleware errors.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace cafio {

using json = nlohmann::json;

/// The arguments of an event. Binary values are json::binary_t (see binary()).
using args = std::vector<json>;

/// A binary argument (a Buffer / ArrayBuffer on the JavaScript side).
json binary(std::string_view bytes);
json binary(std::vector<std::uint8_t> bytes);

/// The bytes of a binary argument, or nullopt if `value` is not binary.
std::optional<std::string> bytes_of(const json& value);

/// Builds args from C++ values: make_args(1, "two", json{{"three", 3}}).
template <class... Ts>
args make_args(Ts&&... xs) {
  args result;
  result.reserve(sizeof...(Ts));
  (result.emplace_back(std::forward<Ts>(xs)), ...);
  return result;
}

/// The acknowledgement an incoming event may ask for. Calling it answers the
/// client (once; later calls are ignored). Safe to keep and call later, from
/// any thread: the answer goes through the socket's actor.
class ack {
 public:
  ack() = default;
  explicit ack(std::function<void(args)> send) : state_(std::make_shared<state>(std::move(send))) {}

  /// Whether the client asked for an answer.
  explicit operator bool() const noexcept { return state_ != nullptr; }

  template <class... Ts>
  void operator()(Ts&&... xs) const {
    send(make_args(std::forward<Ts>(xs)...));
  }

  void send(args answer) const;

 private:
  struct state {
    explicit state(std::function<void(args)> f) : send(std::move(f)) {}
    std::function<void(args)> send;
    bool sent = false;
  };
  std::shared_ptr<state> state_;
};

/// The answer to an event the server emitted with an ack callback.
struct ack_response {
  /// Set when no answer came in time ("operation has timed out") or the
  /// socket went away ("socket has been disconnected").
  std::optional<std::string> error;
  args values;

  bool ok() const noexcept { return !error.has_value(); }
};

using ack_callback = std::function<void(ack_response)>;

/// An error a middleware passes to next(): refuses a connection (namespace
/// middleware) or drops a packet (socket middleware).
struct middleware_error {
  std::string message;
  json data;  // sent as CONNECT_ERROR {message, data} when not null
};

/// What a middleware calls to continue (no argument) or to stop (an error).
/// May be called later and from any thread.
class next {
 public:
  next() = default;
  explicit next(std::function<void(std::optional<middleware_error>)> f)
      : state_(std::make_shared<state>(std::move(f))) {}

  void operator()() const { finish(std::nullopt); }
  void operator()(middleware_error error) const { finish(std::move(error)); }

 private:
  void finish(std::optional<middleware_error> error) const;
  struct state {
    explicit state(std::function<void(std::optional<middleware_error>)> f) : done(std::move(f)) {}
    std::function<void(std::optional<middleware_error>)> done;
    bool called = false;
  };
  std::shared_ptr<state> state_;
};

/// The result of emit(): refused for reserved event names, as socket.io
/// throws '"connect" is a reserved event name'.
class emit_status {
 public:
  emit_status() = default;
  explicit emit_status(std::string error) : error_(std::move(error)) {}
  explicit operator bool() const noexcept { return !error_; }
  bool ok() const noexcept { return !error_; }
  const std::string& error() const { return *error_; }

 private:
  std::optional<std::string> error_;
};

}  // namespace cafio
