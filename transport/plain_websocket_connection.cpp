#include "transport/plain_websocket_connection.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "transport/coalescing_stream.hpp"
#include "transport/websocket_connection.hpp"
#include "transport/websocket_frame.hpp"
#include "transport/websocket_frame_reader.hpp"

namespace cafio::transport {

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

// How long a close we started waits for the client's close frame (Beast's
// suggested server setting waits as long for its close handshake).
constexpr auto close_timeout = std::chrono::seconds(30);

// Bytes read at most per readiness before other connections of the thread
// get their turn (the rest is read on the next round).
constexpr int read_rounds = 4;

/// The read buffer of the calling I/O thread: connections parse what they
/// read at once, so they can share it and keep none of their own.
std::array<char, 64 * 1024>& thread_read_buffer() {
  thread_local auto buffer = std::make_unique<std::array<char, 64 * 1024>>();
  return *buffer;
}

close_reason reason_of(const error_code& ec) {
  if (ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == asio::error::operation_aborted || ec == asio::error::broken_pipe ||
      ec == asio::error::not_connected)
    return close_reason::transport_close;
  return close_reason::transport_error;
}

class plain_websocket_connection final : public websocket_connection {
 public:
  plain_websocket_connection(tcp::socket socket, websocket_framing framing, std::size_t max_message,
                             std::size_t max_send_queue_bytes)
      : websocket_connection(framing, max_send_queue_bytes),
        out_(std::move(socket)),
        reader_(true, max_message) {
    home_ = &asio::query(out_.get_executor(), asio::execution::context);
    error_code ignored;
    this->socket().non_blocking(true, ignored);  // reads below must never block
  }

  const void* home() const override { return home_; }

  void run_at_home(std::function<void()> task) override {
    asio::post(out_.get_executor(), std::move(task));
  }

 private:
  tcp::socket& socket() { return out_.next_layer(); }

  std::shared_ptr<plain_websocket_connection> self() {
    return std::static_pointer_cast<plain_websocket_connection>(shared_from_this());
  }

  // Asio's wait does not look at the socket first; it waits for the next
  // readiness event. So a wait follows only a read that emptied the socket
  // (anything arriving later raises a new event), and reading starts with a
  // read: bytes may have come before the session started the connection.
  void start_reading() override { on_readable({}); }

  void wait_readable() {
    socket().async_wait(tcp::socket::wait_read,
                        [self = self()](error_code ec) { self->on_readable(ec); });
  }

  void on_readable(error_code ec) {
    if (closed_) return;
    if (ec) {
      end(ec);
      return;
    }
    auto& buffer = thread_read_buffer();
    for (int round = 0; round < read_rounds; ++round) {
      if (out_.full()) {
        // Pongs (and our close frame) are written without the send queue:
        // a client that pings and does not read must not grow the buffer.
        // Reading resumes once the client has taken some (as with Beast,
        // whose reads wait for their pong's write).
        read_paused_ = true;
        wait_for_room();
        return;
      }
      auto n = socket().read_some(asio::buffer(buffer), ec);
      if (ec == asio::error::would_block || ec == asio::error::try_again) {
        wait_readable();
        return;
      }
      if (ec) {
        end(ec);
        return;
      }
      auto error =
          reader_.feed(buffer.data(), n, [this](const websocket_frame_event& e) { on_frame(e); });
      if (closed_) return;
      if (error != 0) {
        // Beast and ws send the close code of the violation, then drop the
        // connection; engine.io calls that a transport error.
        end_with_close_frame(error, close_reason::transport_error);
        return;
      }
      if (reader_.closed()) return;
      if (n < buffer.size()) {
        wait_readable();
        return;
      }
    }
    // More may be waiting: read on after the thread's other work.
    asio::post(out_.get_executor(), [self = self()] { self->on_readable({}); });
  }

  void on_frame(const websocket_frame_event& e) {
    if (closed_) return;
    switch (e.opcode) {
      case websocket_opcode::text:
      case websocket_opcode::binary:
        if (!deliver(e.opcode == websocket_opcode::text, e.payload))
          fail(close_reason::parse_error);
        return;
      case websocket_opcode::ping:
        write_control(websocket_opcode::pong, e.payload);
        return;
      case websocket_opcode::close:
        if (closing_) {  // the answer to our close: the handshake is done
          closed_ = true;
          report_closed(close_reason::transport_close);
          drop_queue(0);
          out_.when_flushed([self = self()] { self->close_socket(); });
          return;
        }
        // The client closes: answer with its code, as Beast does.
        end_with_close_frame(e.close_code, close_reason::transport_close);
        return;
      default:  // pong: nothing to do
        return;
    }
  }

  void write_next() override {
    if (writing_ || closed_) return;
    if (closing_) {  // nothing may follow our close frame
      drop_queue(0);
      return;
    }
    switch (append_queued(out_)) {
      case append_result::full:
        writing_ = true;
        wait_for_room();
        return;
      case append_result::failed:
        fail(close_reason::transport_close);  // the socket failed under an earlier write
        return;
      case append_result::done:
        break;
    }
    if (close_requested_ && !closing_) {
      closing_ = true;
      // engine.io's ws.close() sends a close frame without a code.
      write_close_frame(websocket_close_code::no_status);
      // Reading goes on until the client's close frame; a client that never
      // sends it is dropped after a while.
      close_timer_ = std::make_unique<asio::steady_timer>(out_.get_executor(), close_timeout);
      close_timer_->async_wait([self = self()](error_code ec) {
        if (!ec) self->end(asio::error::timed_out);
      });
    }
  }

  /// Once the write buffer is back under its limit, goes on writing and
  /// reading, whichever waited for it.
  void wait_for_room() {
    if (awaiting_room_) return;
    awaiting_room_ = true;
    out_.room_after([self = self()] {
      self->awaiting_room_ = false;
      if (self->writing_) {
        self->writing_ = false;
        self->write_next();
      }
      if (self->read_paused_) {
        self->read_paused_ = false;
        self->on_readable({});
      }
    });
  }

  void write_control(websocket_opcode opcode, std::string_view payload) {
    auto header = make_frame_header(opcode, payload.size());
    out_.append_frame({asio::buffer(header.bytes.data(), header.size), asio::buffer(payload)});
  }

  void write_close_frame(std::uint16_t code) {
    if (code == websocket_close_code::no_status) {  // a close frame without a code
      write_control(websocket_opcode::close, {});
      return;
    }
    char body[2] = {static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
    write_control(websocket_opcode::close, std::string_view(body, 2));
  }

  /// Sends a close frame after what is already buffered, reports `reason`,
  /// and closes the socket once the frame is written.
  void end_with_close_frame(std::uint16_t code, close_reason reason) {
    drop_queue(0);
    if (!closing_) write_close_frame(code);
    closing_ = true;
    closed_ = true;
    report_closed(reason);
    out_.when_flushed([self = self()] { self->close_socket(); });
  }

  /// The socket failed or was closed by the client, or the close timed out.
  void end(error_code ec) {
    if (closed_ && !closing_) return;
    closed_ = true;
    report_closed(close_requested_ ? close_reason::transport_close : reason_of(ec));
    drop_queue(0);
    close_socket();
  }

  void fail(close_reason reason) override {
    report_closed(reason);
    closed_ = true;
    drop_queue(0);  // framed messages were copied into the write buffer at once
    close_socket();
  }

  void close_socket() {
    if (close_timer_) close_timer_->cancel();
    error_code ignored;
    socket().shutdown(tcp::socket::shutdown_both, ignored);
    socket().close(ignored);
  }

  coalescing_stream<tcp::socket> out_;
  websocket_frame_reader reader_;
  const void* home_ = nullptr;                       // the io_context this connection lives on
  std::unique_ptr<asio::steady_timer> close_timer_;  // only while our close is answered
  bool writing_ = false;                             // writing waits for room in the write buffer
  bool read_paused_ = false;                         // reading waits for room in the write buffer
  bool awaiting_room_ = false;                       // room_after is set
  bool closing_ = false;                             // a close frame was sent
};

}  // namespace

websocket_channel_ptr make_plain_websocket_connection(tcp::socket socket, websocket_framing framing,
                                                      std::size_t max_message,
                                                      std::size_t max_send_queue_bytes) {
  return std::make_shared<plain_websocket_connection>(std::move(socket), framing, max_message,
                                                      max_send_queue_bytes);
}

}  // namespace cafio::transport
