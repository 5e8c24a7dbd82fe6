// Engine.IO v4 over WebSocket: one packet per text frame, the packet type as
// its first character ("0" open, "1" close, "2" ping, "3" pong, "4" message).
// Socket.IO v5 packets ride in "4" messages: "0" CONNECT, "1" DISCONNECT,
// "2" EVENT, "3" ACK, "4" CONNECT_ERROR; the main namespace "/" is implicit.
#include "sio_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/websocket.hpp>

namespace cafio::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

/// Reads the decimal ack id at the start of `text`, advancing past it.
bool take_id(std::string_view& text, std::uint64_t& id) {
  std::size_t i = 0;
  id = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    id = id * 10 + static_cast<std::uint64_t>(text[i] - '0');
    ++i;
  }
  text.remove_prefix(i);
  return i > 0;
}

/// The "sid" of an OPEN or CONNECT packet's JSON object (no escapes in sids).
std::string sid_of(std::string_view json) {
  static constexpr std::string_view key = "\"sid\":\"";
  auto at = json.find(key);
  if (at == std::string_view::npos) return {};
  auto first = at + key.size();
  auto last = json.find('"', first);
  return last == std::string_view::npos ? std::string()
                                        : std::string(json.substr(first, last - first));
}

std::string describe(const beast::error_code& ec) {
  if (ec == websocket::error::closed) return "closed by server (WebSocket close)";
  if (ec == asio::error::eof) return "closed by server (EOF)";
  if (ec == asio::error::connection_reset) return "reset by server";
  return ec.message();
}

}  // namespace

sio_client::sio_client(asio::io_context& ioc, const client_options& options, sio_listener* listener,
                       std::size_t index)
    : ioc_(ioc), ws_(ioc), options_(options), listener_(listener), index_(index) {}

void sio_client::connect(connect_handler done) {
  on_connect_ = std::move(done);
  state_ = client_state::connecting;
  auto& sock = ws_.next_layer();
  beast::error_code ec;
  sock.open(options_.server.protocol(), ec);
  if (!ec && options_.receive_buffer > 0)
    sock.set_option(asio::socket_base::receive_buffer_size(options_.receive_buffer), ec);
  if (!ec && !options_.source.is_unspecified()) sock.bind(tcp::endpoint(options_.source, 0), ec);
  if (ec) {
    fail("socket: " + ec.message());
    return;
  }
  sock.async_connect(options_.server, [self = shared_from_this()](beast::error_code ec) {
    if (self->state_ == client_state::closed) return;
    if (ec) {
      self->fail("connect: " + ec.message());
      return;
    }
    beast::error_code ignored;
    self->ws_.next_layer().set_option(tcp::no_delay(true), ignored);
    // Defaults of a client stream: no timeouts, no permessage-deflate offer.
    self->ws_.auto_fragment(false);
    self->ws_.text(true);
    self->ws_.async_handshake(self->options_.host_header,
                              self->options_.path + "?EIO=4&transport=websocket",
                              [self](beast::error_code ec) {
                                if (self->state_ == client_state::closed) return;
                                if (ec) {
                                  self->fail("websocket handshake: " + ec.message());
                                  return;
                                }
                                self->state_ = client_state::awaiting_open;
                                self->read();
                              });
  });
}

void sio_client::send_text(std::string frame) {
  if (state_ == client_state::closed) return;
  write_queue_.push_back(std::move(frame));
  write_next();
}

void sio_client::emit(std::string_view payload) {
  std::string frame;
  frame.reserve(payload.size() + 2);
  frame += "42";
  frame += payload;
  send_text(std::move(frame));
}

std::uint64_t sio_client::emit_with_ack(std::string_view payload) {
  auto id = next_ack_id_++;
  auto digits = std::to_string(id);
  std::string frame;
  frame.reserve(payload.size() + digits.size() + 2);
  frame += "42";
  frame += digits;
  frame += payload;
  send_text(std::move(frame));
  return id;
}

void sio_client::pause_reading() {
  paused_ = true;
}

void sio_client::resume_reading() {
  paused_ = false;
  if (!reading_ && state_ != client_state::closed && state_ != client_state::connecting) read();
}

void sio_client::abort() {
  if (state_ == client_state::closed) return;
  state_ = client_state::closed;
  close_reason_ = "aborted by client";
  on_connect_ = nullptr;
  write_queue_.clear();
  auto& sock = ws_.next_layer();
  beast::error_code ignored;
  sock.set_option(asio::socket_base::linger(true, 0), ignored);
  sock.close(ignored);
}

void sio_client::read() {
  if (paused_ || reading_) return;
  reading_ = true;
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->reading_ = false;
    if (self->state_ == client_state::closed) return;
    if (ec) {
      self->fail(describe(ec));
      return;
    }
    auto data = self->buffer_.cdata();
    self->on_frame(std::string_view(static_cast<const char*>(data.data()), data.size()));
    self->buffer_.consume(self->buffer_.size());
    if (self->state_ != client_state::closed) self->read();
  });
}

void sio_client::on_frame(std::string_view frame) {
  ++frames_in_;
  bytes_in_ += frame.size();
  if (frame.empty() || !ws_.got_text()) {
    fail("unexpected binary or empty frame");
    return;
  }
  switch (frame[0]) {
    case '0':  // OPEN {"sid":...,"pingInterval":...}: connect to "/"
      if (state_ != client_state::awaiting_open) return fail("unexpected Engine.IO OPEN");
      state_ = client_state::awaiting_connect;
      send_text("40");
      return;
    case '1':
      return fail("closed by server (Engine.IO close packet)");
    case '2': {  // PING: answer with PONG and the same data
      ++pings_;
      std::string pong(frame);
      pong[0] = '3';
      send_text(std::move(pong));
      return;
    }
    case '4':
      return on_socketio(frame.substr(1));
    default:  // "3" pong, "6" noop: nothing to do
      return;
  }
}

void sio_client::on_socketio(std::string_view packet) {
  if (packet.empty()) return fail("empty Socket.IO packet");
  auto type = packet[0];
  packet.remove_prefix(1);
  std::uint64_t id = 0;
  switch (type) {
    case '0':  // CONNECT {"sid":...}
      if (state_ != client_state::awaiting_connect) return fail("unexpected Socket.IO CONNECT");
      sid_ = sid_of(packet);
      state_ = client_state::connected;
      finish_connect({});
      return;
    case '1':
      return fail("disconnected by server (Socket.IO DISCONNECT)");
    case '2':
      take_id(packet, id);  // the server asks for an ack: not used by the bench app
      if (listener_) listener_->on_event(*this, packet);
      return;
    case '3':
      if (!take_id(packet, id)) return fail("ACK without id");
      if (listener_) listener_->on_ack(*this, id, packet);
      return;
    case '4':
      return fail("CONNECT_ERROR " + std::string(packet));
    default:
      return fail("unexpected Socket.IO packet type " + std::string(1, type));
  }
}

void sio_client::write_next() {
  if (writing_ || write_queue_.empty() || state_ == client_state::closed) return;
  writing_ = true;
  ws_.async_write(asio::buffer(write_queue_.front()),
                  [self = shared_from_this()](beast::error_code ec, std::size_t) {
                    self->writing_ = false;
                    if (self->state_ == client_state::closed) return;
                    self->write_queue_.pop_front();
                    if (ec) {
                      self->fail("write: " + ec.message());
                      return;
                    }
                    self->write_next();
                  });
}

void sio_client::finish_connect(const std::string& error) {
  if (!on_connect_) return;
  auto done = std::move(on_connect_);
  on_connect_ = nullptr;
  done(*this, error);
}

void sio_client::fail(const std::string& reason) {
  if (state_ == client_state::closed) return;
  state_ = client_state::closed;
  close_reason_ = reason;
  write_queue_.clear();
  beast::error_code ignored;
  auto& sock = ws_.next_layer();
  sock.set_option(asio::socket_base::linger(true, 0), ignored);
  sock.close(ignored);
  finish_connect(reason);
  if (listener_) listener_->on_closed(*this, reason);
}

}  // namespace cafio::bench
