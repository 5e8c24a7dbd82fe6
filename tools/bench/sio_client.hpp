// One raw Socket.IO v5 client over an Engine.IO v4 WebSocket (no polling
// first, no permessage-deflate): connect, join the main namespace, emit text
// frames, hand every incoming event and ack to a listener, answer pings.
//
// After the upgrade the WebSocket is spoken directly on the TCP socket: reads
// go into a buffer shared by the thread's clients and are parsed by
// transport's websocket_frame_reader, writes are framed here and coalesced
// into one send while another is in flight. Between reads a client keeps only
// a frame that is not complete yet, so 10,000s of them stay cheap.
//
// Not thread-safe: every member runs on the io_context the client was made
// with, and each of the load generator's io_contexts is run by one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "transport/websocket_frame_reader.hpp"

namespace cafio::bench {

class sio_client;

/// What a scenario does with the traffic of its clients.
class sio_listener {
 public:
  virtual ~sio_listener() = default;
  /// `42<payload>`: an EVENT of "/"; `payload` is the JSON array.
  virtual void on_event(sio_client& client, std::string_view payload) = 0;
  /// `43<id><payload>`: the answer to one of our emits with an ack.
  virtual void on_ack(sio_client& client, std::uint64_t id, std::string_view payload) = 0;
  /// The connection ended (after connected or not), once.
  virtual void on_closed(sio_client& /*client*/, const std::string& /*reason*/) {}
};

struct client_options {
  boost::asio::ip::tcp::endpoint server;
  /// Source address to bind before connecting (unspecified: the kernel's).
  boost::asio::ip::address source;
  std::string host_header = "127.0.0.1";
  std::string path = "/socket.io/";
  /// SO_RCVBUF before connecting (0: the kernel's default); a tiny one makes
  /// a slow consumer.
  int receive_buffer = 0;
};

/// Where a client is in the Engine.IO / Socket.IO handshakes.
enum class client_state { idle, connecting, awaiting_open, awaiting_connect, connected, closed };

class sio_client : public std::enable_shared_from_this<sio_client> {
 public:
  using connect_handler = std::function<void(sio_client&, const std::string& error)>;

  sio_client(boost::asio::io_context& ioc, const client_options& options, sio_listener* listener,
             std::size_t index);

  /// TCP connect, WebSocket upgrade, Engine.IO OPEN, Socket.IO CONNECT to
  /// "/". `done` runs once, with an empty error on success.
  void connect(connect_handler done);

  /// Queues one text frame (one Engine.IO packet), sent in order.
  void send_text(std::string frame);
  /// `42[...]`: emits an event; `payload` is the JSON array.
  void emit(std::string_view payload);
  /// `42<id>[...]`: emits an event asking for an ack; returns the ack id.
  std::uint64_t emit_with_ack(std::string_view payload);

  /// Stops reading (the server's writes then pile up in the kernel and in
  /// the server), and resumes. Frames already read when reading stops reach
  /// the listener only after resume_reading().
  void pause_reading();
  void resume_reading();

  /// Aborts the connection (RST, so no TIME_WAIT is left on either side).
  void abort();

  client_state state() const { return state_; }
  bool connected() const { return state_ == client_state::connected; }
  std::size_t index() const { return index_; }
  const std::string& sid() const { return sid_; }
  boost::asio::io_context& context() { return ioc_; }

  /// Counters of this connection.
  std::uint64_t pings_answered() const { return pings_; }
  std::uint64_t frames_received() const { return frames_in_; }
  std::uint64_t bytes_received() const { return bytes_in_; }
  std::size_t queued_frames() const { return pending_frames_ + writing_frames_; }
  const std::string& close_reason() const { return close_reason_; }

 private:
  /// A frame read while reading was paused, delivered on resume.
  struct held_frame {
    transport::websocket_opcode opcode;
    std::string payload;
  };

  void upgrade();
  void read_available();
  void wait_readable();
  void consume(char* data, std::size_t size);
  void on_websocket_frame(transport::websocket_opcode opcode, std::string_view payload);
  void deliver_held();
  void on_frame(std::string_view frame);
  void on_socketio(std::string_view packet);
  void queue_frame(transport::websocket_opcode opcode,
                   std::initializer_list<std::string_view> parts);
  void write_next();
  void finish_connect(const std::string& error);
  void fail(const std::string& reason);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::socket socket_;
  transport::websocket_frame_reader reader_;
  const client_options& options_;
  sio_listener* listener_;
  std::size_t index_;
  connect_handler on_connect_;
  std::string pending_;  // framed, waiting for the write in flight to end
  std::string writing_;  // framed, being written
  std::size_t pending_frames_ = 0;
  std::size_t writing_frames_ = 0;
  std::vector<held_frame> held_;
  std::string sid_;
  std::string close_reason_;
  std::uint64_t next_ack_id_ = 0;
  std::uint64_t pings_ = 0;
  std::uint64_t frames_in_ = 0;
  std::uint64_t bytes_in_ = 0;
  client_state state_ = client_state::idle;
  bool write_in_flight_ = false;
  bool reading_ = false;  // a wait for readability or a posted read is pending
  bool paused_ = false;
};

}  // namespace cafio::bench
