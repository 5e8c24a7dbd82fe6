// The layer above an Engine.IO session (the Socket.IO client, or the
// Engine.IO echo app) runs inside the session's own actor rather than in an
// actor of its own. One actor per connection instead of two: an idle
// connection is mostly its actors (a CAF actor with its behavior costs about
// 1.7 KB), and a message read from the connection reaches the Socket.IO
// layer with no extra hop. The session calls the upper layer; the upper
// layer uses the session's actor to send, request and set timers, and other
// actors reach it through the session with `upper_atom`.
#pragma once

#include <caf/message.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "transport/transport_actor.hpp"

namespace cafio::transport {

/// What the upper layer may use of the session hosting it.
class session_host {
 public:
  virtual ~session_host() = default;

  /// The session's actor: the upper layer sends, requests and sets timers
  /// with it (its replies and `upper_atom` messages come back to the upper
  /// layer).
  virtual transport_actor::pointer self() = 0;

  /// Sends message packets, in order, as `send_atom` does (but at once).
  virtual void send(const outgoing& out) = 0;

  /// Closes the session after what was sent (as `close_atom`): on_closed
  /// follows, with `forced_close`.
  virtual void close() = 0;
};

/// The upper layer of one session. Every call runs inside the session's
/// actor.
class session_upper {
 public:
  virtual ~session_upper() = default;

  /// A message packet (text, or binary when `packet.binary`).
  virtual void on_message(engineio::packet& packet) = 0;

  /// The session moved from polling to WebSocket.
  virtual void on_upgraded(transport_kind kind) = 0;

  /// The session is over, and why. Called once; nothing follows it. May run
  /// while the session's actor is being destroyed (server shutdown), so it
  /// should only send messages.
  virtual void on_closed(close_reason reason) = 0;

  /// A message sent to the session with `upper_atom` (by the upper layer's
  /// own actors, or its own timers).
  virtual void on_signal(caf::message& signal) = 0;
};

}  // namespace cafio::transport
