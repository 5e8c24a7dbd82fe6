// The Beast-free view of one WebSocket connection, as the session actor uses
// it: it frames Engine.IO packets, keeps one write in flight and a bounded
// queue, and reports incoming packets and the close.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "protocol/engineio_packet.hpp"
#include "transport/close_reason.hpp"

namespace cafio::transport {

using shared_packets = std::shared_ptr<const std::vector<engineio::packet>>;

class websocket_channel {
 public:
  virtual ~websocket_channel() = default;

  /// A process-unique number, so messages can name the channel.
  virtual std::uint64_t id() const = 0;

  /// Starts reading. Each decoded packet goes to `on_packet`; the end of the
  /// connection goes to `on_closed` once. Both run on an I/O thread.
  virtual void start(std::function<void(engineio::packet)> on_packet,
                     std::function<void(close_reason)> on_closed) = 0;

  /// Queues packets, one WebSocket message each, in order (thread-safe).
  virtual void send(shared_packets packets, bool compress) = 0;

  /// The I/O thread the connection lives on (an opaque key, for batching).
  virtual const void* home() const = 0;

  /// Runs `task` on that thread.
  virtual void run_at_home(std::function<void()> task) = 0;

  /// Queues packets like send(), but only from the connection's own thread
  /// (inside run_at_home): no hand-over.
  virtual void send_here(const shared_packets& packets, bool compress) = 0;

  /// True when nothing is queued or being written (engine.io's `writable`).
  virtual bool writable() const = 0;

  /// Closes after the queued messages are written (thread-safe).
  virtual void close() = 0;
};

using websocket_channel_ptr = std::shared_ptr<websocket_channel>;

}  // namespace cafio::transport
