// What every WebSocket connection of the server does whatever its I/O (Beast
// for TLS and permessage-deflate, plain_websocket_connection otherwise):
// the bounded send queue and its accounting across threads, a packet's
// frame contents for the session's Engine.IO version, the decoding of
// incoming messages and their routing to the session, and reporting the end
// once. The I/O side implements reading, writing and closing, on the
// connection's own I/O thread.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/buffer.hpp>

#include "transport/http_exchange.hpp"
#include "transport/websocket_channel.hpp"
#include "transport/websocket_frame.hpp"

namespace cafio::transport {

class websocket_connection : public websocket_channel,
                             public std::enable_shared_from_this<websocket_connection> {
 public:
  websocket_connection(websocket_framing framing, std::size_t max_send_queue_bytes);

  std::uint64_t id() const final { return id_; }

  void start(std::function<void(engineio::packet)> on_packet,
             std::function<void(close_reason)> on_closed) final;
  void send(shared_packets packets, bool compress) final;
  void send_here(const shared_packets& packets, bool compress) final;
  bool writable() const final { return queued_frames_.load() == 0; }
  void close() final;

 protected:
  /// Reading starts (once, on the I/O thread, unless already closed).
  virtual void start_reading() = 0;
  /// Writes what is queued, or goes on with it once the write in flight is
  /// done; closes once the queue is empty if a close was requested.
  virtual void write_next() = 0;
  /// Ends the connection at once, for `reason`.
  virtual void fail(close_reason reason) = 0;

  /// One incoming WebSocket message: decodes its Engine.IO packet and hands
  /// it on. False when it is no Engine.IO packet (then the caller fails the
  /// connection with parse_error).
  bool deliver(bool text, std::string_view bytes);

  /// Reports the end to the session, once.
  void report_closed(close_reason reason);

  // The queue, consumed from the front on the I/O thread.
  bool queue_empty() const noexcept { return queue_head_ == queue_.size(); }
  const engineio::packet& front_packet() const {
    auto& f = queue_[queue_head_];
    return (*f.packets)[f.index];
  }
  bool front_compress() const { return queue_[queue_head_].compress; }
  /// The front packet is written (or copied into the write buffer).
  void release_front();
  /// Drops the queued packets but the first `keep` (a write still reads them).
  void drop_queue(std::size_t keep);

  /// A packet as one WebSocket message: its pieces and its frame type. The
  /// pieces stay valid until the next call (a b64=1 client's base64 text is
  /// kept here).
  struct message {
    std::array<std::string_view, 2> parts;
    bool binary;
    std::size_t size() const { return parts[0].size() + parts[1].size(); }
  };
  message message_of(const engineio::packet& p);

  enum class append_result { done, full, failed };

  /// Frames queued packets into `out` (a coalescing_stream) one message
  /// each: until the queue is empty (done), `out` is full (wait for room),
  /// or an earlier write has failed.
  template <class Out>
  append_result append_queued(Out& out) {
    while (!queue_empty()) {
      if (out.full()) return append_result::full;
      auto m = message_of(front_packet());
      auto header = make_frame_header(m.binary, m.size());
      bool appended =
          out.append_frame({boost::asio::buffer(header.bytes.data(), header.size),
                            boost::asio::buffer(m.parts[0]), boost::asio::buffer(m.parts[1])});
      release_front();
      if (!appended) return append_result::failed;
    }
    return append_result::done;
  }

  bool close_requested_ = false;
  bool closed_ = false;  // no more reads or writes

 private:
  /// Counts packets as queued; false when they would make the queue too big
  /// (any thread).
  bool account(const shared_packets& packets);
  /// On the I/O thread: queues counted packets and writes.
  void enqueue(const shared_packets& packets, bool compress, bool accepted);

  struct frame {
    shared_packets packets;
    std::size_t index;
    bool compress;  // the emitter allows it (socket.compress)
  };

  engineio::protocol_version version_;
  bool base64_binary_;
  bool reported_ = false;
  std::size_t max_queue_;
  std::uint64_t id_;
  std::function<void(engineio::packet)> on_packet_;
  std::function<void(close_reason)> on_closed_;
  // The write queue: a vector consumed from `queue_head_` (a deque would
  // allocate its blocks for every idle connection).
  std::vector<frame> queue_;
  std::size_t queue_head_ = 0;
  std::string base64_text_;  // the message being written, for a b64=1 client
  std::atomic<std::size_t> queued_bytes_{0};
  std::atomic<std::size_t> queued_frames_{0};
};

}  // namespace cafio::transport
