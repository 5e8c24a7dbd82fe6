// A session's fast path for outgoing packets, callable from any thread.
//
// Broadcasts fan out to many sessions: going through each session's
// transport actor costs one actor message per recipient. While a session is
// on WebSocket, its sink posts packets straight to the connection's strand
// instead (DESIGN: "an actor hands bytes to Beast by posting to that
// session's strand"). The transport actor still owns the session: it
// attaches the WebSocket to the sink once it is the session's transport and
// detaches it when the session ends; in every other state the sink hands the
// packets to the actor.
//
// Order: packets one sender hands to a sink arrive in the order it sent
// them. A packet goes the direct way only when no packet handed to the actor
// is still on its way to the strand; otherwise it follows them through the
// actor.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>

#include "transport/metrics.hpp"
#include "transport/session_interface.hpp"
#include "transport/websocket_channel.hpp"

namespace cafio::transport {

class session_sink {
 public:
  session_sink(session_handle session, metrics_ptr stats)
      : session_(std::move(session)), stats_(std::move(stats)) {}

  /// Sends `out` to the client (thread-safe).
  void send(const outgoing& out);

  /// The WebSocket to write `out` to directly, or null when `out` has been
  /// handed to the actor instead (what send() does, for delivery_batch).
  websocket_channel_ptr direct_or_forward(const outgoing& out);

  const metrics_ptr& stats() const { return stats_; }

  // For the transport actor only.

  /// The session's transport is now this WebSocket.
  void attach(websocket_channel_ptr channel);
  /// The session is over (or not on WebSocket): everything goes to the actor.
  void detach();
  /// The actor passed on one packet batch the sink had handed to it.
  void forwarded();

 private:
  std::mutex mutex_;  // per session; held for a few instructions, never across I/O
  websocket_channel_ptr channel_;
  std::size_t via_actor_ = 0;  // batches handed to the actor, not yet on the strand
  const session_handle session_;
  const metrics_ptr stats_;
};

using session_sink_ptr = std::shared_ptr<session_sink>;

/// One broadcast to many sessions: the deliveries to WebSocket sessions are
/// grouped by I/O thread and handed over with one task per thread, instead
/// of one hand-over per recipient.
class delivery_batch {
 public:
  void add(session_sink& sink, const outgoing& out);
  /// Hands the grouped deliveries over; also done by the destructor.
  void flush();
  ~delivery_batch() { flush(); }

 private:
  struct item {
    websocket_channel_ptr channel;
    const outgoing* out;  // outlives the batch: the caller's broadcast
  };
  struct group {
    const void* home;
    std::vector<item> items;
  };
  std::vector<group> groups_;
};

}  // namespace cafio::transport
