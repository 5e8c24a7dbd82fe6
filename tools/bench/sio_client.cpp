// Engine.IO v4 over WebSocket: one packet per text frame, the packet type as
// its first character ("0" open, "1" close, "2" ping, "3" pong, "4" message).
// Socket.IO v5 packets ride in "4" messages: "0" CONNECT, "1" DISCONNECT,
// "2" EVENT, "3" ACK, "4" CONNECT_ERROR; the main namespace "/" is implicit.
#include "sio_client.hpp"

#include <charconv>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/detail/hybi13.hpp>

#include "client_frame.hpp"

namespace cafio::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using transport::websocket_opcode;

namespace {

// Servers send no message near this; it only bounds a broken stream.
constexpr std::size_t max_message = 100 * 1024 * 1024;

// Reads at most per readiness before the thread's other clients get their
// turn (the rest is read after them).
constexpr int read_rounds = 4;

/// The read buffer of the calling thread: a client parses what it read
/// before the next read, so the thread's clients share it and keep none.
std::vector<char>& thread_read_buffer() {
  thread_local std::vector<char> buffer(64 * 1024);
  return buffer;
}

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
  if (ec == asio::error::eof) return "closed by server (EOF)";
  if (ec == asio::error::connection_reset) return "reset by server";
  return ec.message();
}

/// The WebSocket upgrade, written as Beast's websocket::stream writes it.
/// Beast's own handshake cannot be used: it may read the server's first
/// frames (Engine.IO OPEN follows the 101 at once) into a buffer of its own.
struct upgrade_exchange {
  http::request<http::empty_body> request;
  http::response<http::empty_body> response;
  beast::flat_buffer buffer;  // the response, then whatever followed it
  beast::websocket::detail::sec_ws_key_type key;
};

/// Why a response does not accept the upgrade, as Beast checks it; empty
/// when it does.
std::string refusal(const upgrade_exchange& u) {
  auto& res = u.response;
  if (res.result() != http::status::switching_protocols)
    return "upgrade declined (HTTP " + std::to_string(res.result_int()) + ")";
  if (res.version() != 11) return "bad HTTP version";
  if (!http::token_list{res[http::field::connection]}.exists("upgrade"))
    return "no Connection: upgrade";
  if (!http::token_list{res[http::field::upgrade]}.exists("websocket"))
    return "no Upgrade: websocket";
  beast::websocket::detail::sec_ws_accept_type accept;
  beast::websocket::detail::make_sec_ws_accept(accept, u.key);
  if (accept.compare(res[http::field::sec_websocket_accept]) != 0)
    return "bad Sec-WebSocket-Accept";
  return {};
}

}  // namespace

sio_client::sio_client(asio::io_context& ioc, const client_options& options, sio_listener* listener,
                       std::size_t index)
    : ioc_(ioc),
      socket_(ioc),
      reader_(false, max_message),  // servers do not mask
      options_(options),
      listener_(listener),
      index_(index) {}

void sio_client::connect(connect_handler done) {
  on_connect_ = std::move(done);
  state_ = client_state::connecting;
  beast::error_code ec;
  socket_.open(options_.server.protocol(), ec);
  if (!ec && options_.receive_buffer > 0)
    socket_.set_option(asio::socket_base::receive_buffer_size(options_.receive_buffer), ec);
  if (!ec && !options_.source.is_unspecified()) socket_.bind(tcp::endpoint(options_.source, 0), ec);
  if (ec) {
    fail("socket: " + ec.message());
    return;
  }
  socket_.async_connect(options_.server, [self = shared_from_this()](beast::error_code ec) {
    if (self->state_ == client_state::closed) return;
    if (ec) {
      self->fail("connect: " + ec.message());
      return;
    }
    beast::error_code ignored;
    self->socket_.set_option(tcp::no_delay(true), ignored);
    self->socket_.non_blocking(true, ignored);  // read_available's reads must never block
    self->upgrade();
  });
}

void sio_client::upgrade() {
  auto u = std::make_shared<upgrade_exchange>();
  auto& req = u->request;
  req.method(http::verb::get);
  req.target(options_.path + "?EIO=4&transport=websocket");
  req.version(11);
  req.set(http::field::host, options_.host_header);
  req.set(http::field::upgrade, "websocket");
  req.set(http::field::connection, "upgrade");
  beast::websocket::detail::make_sec_ws_key(u->key);
  req.set(http::field::sec_websocket_key, u->key);
  req.set(http::field::sec_websocket_version, "13");
  http::async_write(
      socket_, req, [self = shared_from_this(), u](beast::error_code ec, std::size_t) {
        if (self->state_ == client_state::closed) return;
        if (ec) return self->fail("websocket handshake: " + ec.message());
        http::async_read(self->socket_, u->buffer, u->response,
                         [self, u](beast::error_code ec, std::size_t) {
                           if (self->state_ == client_state::closed) return;
                           if (ec) return self->fail("websocket handshake: " + ec.message());
                           if (auto why = refusal(*u); !why.empty())
                             return self->fail("websocket handshake: " + why);
                           self->state_ = client_state::awaiting_open;
                           // What came with the response: the server's first frames.
                           auto rest = u->buffer.data();
                           self->consume(static_cast<char*>(rest.data()), rest.size());
                           self->read_available();
                         });
      });
}

void sio_client::send_text(std::string frame) {
  queue_frame(websocket_opcode::text, {frame});
}

void sio_client::emit(std::string_view payload) {
  queue_frame(websocket_opcode::text, {"42", payload});
}

std::uint64_t sio_client::emit_with_ack(std::string_view payload) {
  auto id = next_ack_id_++;
  char digits[20];
  auto end = std::to_chars(digits, digits + sizeof digits, id).ptr;
  queue_frame(websocket_opcode::text,
              {"42", std::string_view(digits, static_cast<std::size_t>(end - digits)), payload});
  return id;
}

void sio_client::pause_reading() {
  paused_ = true;
}

void sio_client::resume_reading() {
  paused_ = false;
  if (state_ == client_state::idle || state_ == client_state::connecting ||
      state_ == client_state::closed)
    return;
  // Posted: the caller may be inside another client's callback, which the
  // thread's read buffer still serves.
  asio::post(ioc_, [self = shared_from_this()] { self->read_available(); });
}

void sio_client::abort() {
  if (state_ == client_state::closed) return;
  state_ = client_state::closed;
  close_reason_ = "aborted by client";
  on_connect_ = nullptr;
  pending_.clear();
  pending_frames_ = 0;
  beast::error_code ignored;
  socket_.set_option(asio::socket_base::linger(true, 0), ignored);
  socket_.close(ignored);
}

// Asio registers sockets edge-triggered: a wait for readability completes
// only for bytes that arrive after the socket was last found empty. So a
// read that filled the buffer is followed by another read, never by a wait,
// and resuming after a pause reads before waiting.
void sio_client::read_available() {
  if (paused_ || reading_ || state_ == client_state::closed) return;
  if (!held_.empty()) {  // what was read before a pause comes first
    deliver_held();
    if (paused_ || state_ == client_state::closed) return;
  }
  auto& buffer = thread_read_buffer();
  for (int round = 0; round < read_rounds; ++round) {
    beast::error_code ec;
    auto n = socket_.read_some(asio::buffer(buffer), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) return wait_readable();
    if (ec) return fail(describe(ec));
    consume(buffer.data(), n);
    if (paused_ || state_ == client_state::closed) return;
    if (n < buffer.size()) return wait_readable();  // emptied (Asio's own reads conclude the same)
  }
  // More may be waiting: read on after the thread's other clients.
  reading_ = true;
  asio::post(ioc_, [self = shared_from_this()] {
    self->reading_ = false;
    self->read_available();
  });
}

void sio_client::wait_readable() {
  if (paused_ || reading_ || state_ == client_state::closed) return;
  reading_ = true;
  socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](beast::error_code ec) {
    self->reading_ = false;
    if (self->state_ == client_state::closed) return;
    if (ec) return self->fail(describe(ec));
    self->read_available();
  });
}

void sio_client::consume(char* data, std::size_t size) {
  auto error = reader_.feed(data, size, [this](const transport::websocket_frame_event& e) {
    if (state_ == client_state::closed) return;
    if (paused_)  // the rest of this read waits for resume_reading()
      held_.push_back({e.opcode, std::string(e.payload)});
    else
      on_websocket_frame(e.opcode, e.payload);
  });
  if (error != 0) fail("WebSocket protocol error (close code " + std::to_string(error) + ")");
}

void sio_client::on_websocket_frame(websocket_opcode opcode, std::string_view payload) {
  switch (opcode) {
    case websocket_opcode::text:
      return on_frame(payload);
    case websocket_opcode::ping:
      return queue_frame(websocket_opcode::pong, {payload});
    case websocket_opcode::pong:
      return;
    case websocket_opcode::close:  // no close frame back: fail() resets the connection anyway
      return fail("closed by server (WebSocket close)");
    default:
      return fail("unexpected binary or empty frame");
  }
}

void sio_client::deliver_held() {
  std::size_t done = 0;
  while (done < held_.size() && !paused_ && state_ != client_state::closed) {
    auto frame = std::move(held_[done++]);
    on_websocket_frame(frame.opcode, frame.payload);
  }
  held_.erase(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(done));
  if (held_.empty()) std::vector<held_frame>().swap(held_);
}

void sio_client::on_frame(std::string_view frame) {
  ++frames_in_;
  bytes_in_ += frame.size();
  if (frame.empty()) {
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
    case '2':  // PING: answer with PONG and the same data
      ++pings_;
      return queue_frame(websocket_opcode::text, {"3", frame.substr(1)});
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

void sio_client::queue_frame(websocket_opcode opcode,
                             std::initializer_list<std::string_view> parts) {
  if (state_ == client_state::closed) return;
  append_masked_frame(pending_, opcode, parts);
  ++pending_frames_;
  write_next();
}

// One write in flight; what is queued meanwhile goes out in the next one.
void sio_client::write_next() {
  if (write_in_flight_ || pending_.empty() || state_ == client_state::closed) return;
  write_in_flight_ = true;
  writing_.swap(pending_);  // pending_ takes the emptied buffer of the last write
  writing_frames_ = pending_frames_;
  pending_frames_ = 0;
  asio::async_write(socket_, asio::buffer(writing_),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      self->write_in_flight_ = false;
                      self->writing_.clear();
                      self->writing_frames_ = 0;
                      if (self->state_ == client_state::closed) return;
                      if (ec) return self->fail("write: " + ec.message());
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
  pending_.clear();
  pending_frames_ = 0;
  beast::error_code ignored;
  socket_.set_option(asio::socket_base::linger(true, 0), ignored);
  socket_.close(ignored);
  finish_connect(reason);
  if (listener_) listener_->on_closed(*this, reason);
}

}  // namespace cafio::bench
