// Beast HTTP and WebSocket connections, in the shapes of Beast's
// advanced_server example: explicit body limits and timeouts; each
// connection stays on one I/O thread's io_context instead of a strand (see
// beast_listener::impl), and WebSocket writes are coalesced
// (coalescing_stream.hpp).
#include "transport/beast_connections.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "transport/coalescing_stream.hpp"
#include "transport/plain_websocket_connection.hpp"
#include "transport/websocket_channel.hpp"
#include "transport/websocket_connection.hpp"
#include "transport/websocket_deflate_switch.hpp"

namespace cafio::transport {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

std::atomic<std::uint64_t> next_object_id{1};

using tls_stream = beast::ssl_stream<beast::tcp_stream>;

}  // namespace
}  // namespace cafio::transport

CAFIO_EXPOSE_STREAM_IMPL(cafio::transport::coalescing_stream<boost::beast::tcp_stream>);
CAFIO_EXPOSE_STREAM_IMPL(
    cafio::transport::coalescing_stream<boost::beast::ssl_stream<boost::beast::tcp_stream>>);

namespace cafio::transport {
namespace {

// How long a keep-alive connection may sit idle between requests, and how
// long a request may take to arrive once started.
constexpr auto idle_timeout = std::chrono::seconds(60);

struct connection_config {
  connection_limits limits;
  request_router router;
};

std::string lower(beast::string_view s) {
  std::string out(s.data(), s.size());
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

close_reason reason_of(const beast::error_code& ec) {
  if (ec == websocket::error::closed || ec == asio::error::eof ||
      ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
      ec == asio::error::broken_pipe || ec == asio::error::not_connected ||
      ec == beast::error::timeout)
    return close_reason::transport_close;
  return close_reason::transport_error;
}

// --- WebSocket ---------------------------------------------------------------

/// A WebSocket connection through Beast: over TLS, or with
/// permessage-deflate, which Beast compresses with its per-connection state.
/// (A plain connection without it is a plain_websocket_connection.)
template <class Stream>
class beast_websocket_connection final : public websocket_connection {
 public:
  beast_websocket_connection(Stream&& stream, websocket_framing framing, std::size_t max_message,
                             const connection_limits& limits)
      : websocket_connection(framing, limits.max_send_queue_bytes),
        ws_(std::move(stream)),
        deflate_threshold_(limits.per_message_deflate ? limits.deflate_threshold : no_deflate) {
    ws_.read_message_max(max_message);
    if (limits.per_message_deflate) {
      websocket::permessage_deflate pmd;
      pmd.server_enable = true;
      ws_.set_option(pmd);
    }
    home_ = &asio::query(ws_.get_executor(), asio::execution::context);
  }

  void accept(http::request<http::string_body> request,
              std::function<void(websocket_channel_ptr)> on_open) {
    request_ = std::move(request);
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.async_accept(request_, [self = self(), on_open = std::move(on_open)](beast::error_code ec) {
      self->request_ = {};
      if (!ec) on_open(self);
    });
  }

  const void* home() const override { return home_; }

  void run_at_home(std::function<void()> task) override {
    asio::post(ws_.get_executor(), std::move(task));
  }

 private:
  std::shared_ptr<beast_websocket_connection> self() {
    return std::static_pointer_cast<beast_websocket_connection>(shared_from_this());
  }

  // Beast's async_read prepares its whole first read (1536 bytes) in our
  // buffer before a byte arrives, and every idle connection waits in a
  // read: the first read of a message is capped instead, and only a message
  // that does not fit is read on with async_read (appending to the buffer).
  static constexpr std::size_t first_read_limit = 256;
  // A buffer grown by a big message is given back once it is handled.
  static constexpr std::size_t kept_buffer_capacity = 4096;

  void start_reading() override { read(); }

  void read() {
    ws_.async_read_some(
        buffer_, first_read_limit, [self = self()](beast::error_code ec, std::size_t) {
          if (ec || self->ws_.is_message_done()) {
            self->on_read(ec);
            return;
          }
          self->ws_.async_read(self->buffer_,
                               [self](beast::error_code ec, std::size_t) { self->on_read(ec); });
        });
  }

  void on_read(beast::error_code ec) {
    if (ec) {
      closed_ = true;
      report_closed(close_requested_ ? close_reason::transport_close : reason_of(ec));
      return;
    }
    auto bytes = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (buffer_.capacity() > kept_buffer_capacity) buffer_.shrink_to_fit();
    if (!deliver(ws_.got_text(), bytes)) {
      fail(close_reason::parse_error);
      return;
    }
    read();
  }

  void write_next() override {
    if (writing_ || closed_) return;
    if (deflate_threshold_ != no_deflate) {
      write_with_beast();
      return;
    }
    // Without permessage-deflate (a TLS connection), data frames are framed
    // here and appended to the coalescing layer: everything queued goes in
    // one write.
    auto& out = ws_.next_layer();
    switch (append_queued(out)) {
      case append_result::full:
        writing_ = true;
        out.room_after([self = self()] {
          self->writing_ = false;
          self->write_next();
        });
        return;
      case append_result::failed:
        fail(close_reason::transport_close);  // the socket failed under an earlier write
        return;
      case append_result::done:
        break;
    }
    close_if_requested();
  }

  void close_if_requested() {
    if (close_requested_ && !closing_ && queue_empty()) {
      closing_ = true;
      // engine.io's ws.close() sends a close frame without a code.
      ws_.async_close(websocket::close_code::none, [self = self()](beast::error_code) {
        // The read loop ends with websocket::error::closed.
      });
    }
  }

  /// One message through Beast, for a connection with permessage-deflate.
  void write_with_beast() {
    if (queue_empty()) {
      close_if_requested();
      return;
    }
    writing_ = true;
    auto m = message_of(front_packet());
    ws_.binary(m.binary);
    // engine.io: below the threshold (counted with the type byte) a message
    // goes uncompressed even when allowed.
    detail::compress_next_message(ws_, front_compress() && m.size() >= deflate_threshold_);
    ws_.async_write(
        std::array<asio::const_buffer, 2>{asio::buffer(m.parts[0]), asio::buffer(m.parts[1])},
        [self = self()](beast::error_code ec, std::size_t) {
          self->writing_ = false;
          self->release_front();
          if (ec) {
            self->fail(reason_of(ec));
            return;
          }
          self->write_next();
        });
  }

  void fail(close_reason reason) override {
    report_closed(reason);
    closed_ = true;
    // A message Beast is writing (the front) stays until its write
    // completes: that write still reads it, and its handler pops it.
    // (Frames framed here are copied into the coalescing layer at once.)
    drop_queue(writing_ && deflate_threshold_ != no_deflate ? 1 : 0);
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).close();
  }

  websocket::stream<coalescing_stream<Stream>> ws_;
  const void* home_ = nullptr;  // the io_context this connection lives on
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  static constexpr std::size_t no_deflate = static_cast<std::size_t>(-1);
  std::size_t deflate_threshold_;  // no_deflate: permessage-deflate is off
  bool writing_ = false;
  bool closing_ = false;
};

// --- HTTP --------------------------------------------------------------------

/// Is Stream a TLS stream?
template <class Stream>
constexpr bool is_tls = !std::is_same_v<Stream, beast::tcp_stream>;

template <class Stream>
class http_connection : public std::enable_shared_from_this<http_connection<Stream>> {
 public:
  template <class... Ts>
  http_connection(std::shared_ptr<const connection_config> config, Ts&&... stream_args)
      : stream_(std::forward<Ts>(stream_args)...), config_(std::move(config)) {
    beast::error_code ec;
    auto endpoint = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    if (!ec) remote_address_ = endpoint.address().to_string();
  }

  void start() {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (is_tls<Stream>) {
        // TLS first; a client that does not finish its handshake in time is
        // dropped.
        beast::get_lowest_layer(self->stream_).expires_after(std::chrono::seconds(30));
        self->stream_.async_handshake(asio::ssl::stream_base::server, [self](beast::error_code ec) {
          if (ec) {
            self->close_socket();
            return;
          }
          self->read_request();
        });
      } else {
        self->read_request();
      }
    });
  }

  // The following run on the connection's strand.

  void write_answer(std::uint64_t exchange, http_answer answer);
  void set_abort(std::uint64_t exchange, std::function<void()> callback);
  void accept_websocket(std::uint64_t exchange, websocket_framing framing, std::size_t max_message,
                        std::function<void(websocket_channel_ptr)> on_open);

  asio::any_io_executor executor() { return stream_.get_executor(); }

 private:
  void read_request();
  void on_read(beast::error_code ec);
  void dispatch(http::request<http::string_body>&& request);
  void on_written(beast::error_code ec, bool close);
  /// Reads and discards until the client closes or the deadline passes.
  void drain() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(16 * 1024),
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) {
                                self->close_socket();
                                return;
                              }
                              self->drain();
                            });
  }

  void close_socket() {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_send, ignored);
    beast::get_lowest_layer(stream_).close();
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<const connection_config> config_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::request<http::string_body>> stashed_;  // a pipelined request
  http::request<http::string_body> upgrade_request_;
  std::string remote_address_;
  std::uint64_t pending_ = 0;  // the exchange awaiting its answer, 0 when none
  std::function<void()> on_abort_;
  bool keep_alive_ = true;
  bool reading_ = false;
  bool writing_ = false;
  bool dead_ = false;  // the client went away or the stream was handed to a WebSocket
};

template <class Stream>
class beast_exchange final : public http_exchange {
 public:
  beast_exchange(std::shared_ptr<http_connection<Stream>> connection, http_request request)
      : connection_(std::move(connection)), request_(std::move(request)), id_(next_object_id++) {}

  ~beast_exchange() override {
    if (if_dropped_ && !answered_.load()) respond(if_dropped_(request_));
  }

  void answer_if_dropped(std::function<http_answer(const http_request&)> make_answer) override {
    if_dropped_ = std::move(make_answer);
  }

  const http_request& request() const override { return request_; }
  std::uint64_t id() const override { return id_; }

  void respond(http_answer answer) override {
    if (answered_.exchange(true)) return;
    asio::post(connection_->executor(),
               [c = connection_, id = id_, answer = std::move(answer)]() mutable {
                 c->write_answer(id, std::move(answer));
               });
  }

  void on_abort(std::function<void()> callback) override {
    asio::post(connection_->executor(),
               [c = connection_, id = id_, callback = std::move(callback)]() mutable {
                 c->set_abort(id, std::move(callback));
               });
  }

  void accept_websocket(websocket_framing framing, std::size_t max_message,
                        std::function<void(websocket_channel_ptr)> on_open) override {
    if (answered_.exchange(true)) return;
    asio::post(connection_->executor(), [c = connection_, id = id_, framing, max_message,
                                         on_open = std::move(on_open)]() mutable {
      c->accept_websocket(id, framing, max_message, std::move(on_open));
    });
  }

 private:
  std::shared_ptr<http_connection<Stream>> connection_;
  http_request request_;
  std::uint64_t id_;
  std::atomic<bool> answered_{false};
  std::function<http_answer(const http_request&)> if_dropped_;  // set before the exchange is shared
};

template <class Stream>
void http_connection<Stream>::read_request() {
  reading_ = true;
  parser_.emplace();
  parser_->body_limit(config_->limits.max_body);
  parser_->header_limit(static_cast<std::uint32_t>(config_->limits.max_header));
  if (pending_ == 0)
    beast::get_lowest_layer(stream_).expires_after(idle_timeout);
  else
    beast::get_lowest_layer(stream_)
        .expires_never();  // a held poll may legitimately wait a whole ping interval
  http::async_read(
      stream_, buffer_, *parser_,
      [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

template <class Stream>
void http_connection<Stream>::on_read(beast::error_code ec) {
  reading_ = false;
  if (ec == http::error::body_limit && pending_ == 0 && !writing_) {
    // engine.io answers an oversized body with 413 and drops the connection.
    dead_ = true;
    auto res =
        std::make_shared<http::response<http::string_body>>(http::status::payload_too_large, 11);
    res->keep_alive(false);
    res->prepare_payload();
    writing_ = true;
    http::async_write(
        stream_, *res, [self = this->shared_from_this(), res](beast::error_code ec, std::size_t) {
          self->writing_ = false;
          if (ec) {
            self->close_socket();
            return;
          }
          // A lingering close: stop sending, then read away what
          // the client is still sending (for at most a second),
          // so that closing does not reset the connection
          // before the client has read the 413.
          beast::error_code ignored;
          beast::get_lowest_layer(self->stream_)
              .socket()
              .shutdown(tcp::socket::shutdown_send, ignored);
          beast::get_lowest_layer(self->stream_).expires_after(std::chrono::seconds(1));
          self->drain();
        });
    return;
  }
  if (ec) {
    dead_ = true;
    if (pending_ != 0 && on_abort_) {
      auto callback = std::move(on_abort_);
      on_abort_ = nullptr;
      callback();
    }
    if (!writing_) close_socket();
    return;
  }
  auto request = parser_->release();
  if (pending_ != 0 || writing_) {
    stashed_ = std::move(request);  // answered in order, after the current one
    return;
  }
  dispatch(std::move(request));
}

template <class Stream>
void http_connection<Stream>::dispatch(http::request<http::string_body>&& req) {
  keep_alive_ = req.keep_alive();
  http_request r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  auto q = r.target.find('?');
  r.path = r.target.substr(0, q);
  if (q != std::string::npos) r.query = r.target.substr(q + 1);
  r.headers.reserve(16);
  for (auto& field : req)
    r.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
  r.body = std::move(req.body());
  r.remote_address = remote_address_;
  r.websocket_upgrade = websocket::is_upgrade(req);
  r.secure = is_tls<Stream>;
  auto upgrade = r.websocket_upgrade;
  auto ex = std::make_shared<beast_exchange<Stream>>(this->shared_from_this(), std::move(r));
  pending_ = ex->id();
  if (upgrade) upgrade_request_ = std::move(req);
  config_->router(ex);
  // Keep reading while the answer is pending: that is how a held poll learns
  // that its client went away (engine.io: "poll connection closed
  // prematurely"). A WebSocket upgrade hands the stream over instead.
  if (!upgrade && !dead_ && !reading_) read_request();
}

template <class Stream>
void http_connection<Stream>::write_answer(std::uint64_t exchange, http_answer answer) {
  if (exchange != pending_) return;
  pending_ = 0;
  on_abort_ = nullptr;
  if (dead_) {
    if (!writing_ && !reading_) close_socket();
    return;
  }
  auto res = std::make_shared<http::response<http::string_body>>(
      static_cast<http::status>(answer.status), 11);
  if (!answer.content_type.empty()) res->set(http::field::content_type, answer.content_type);
  for (auto& [name, value] : answer.headers) res->set(name, value);
  res->body() = std::move(answer.body);
  res->keep_alive(keep_alive_ && !answer.close_connection);
  res->prepare_payload();
  writing_ = true;
  http::async_write(stream_, *res,
                    [self = this->shared_from_this(), res](beast::error_code ec, std::size_t) {
                      self->on_written(ec, res->need_eof());
                    });
}

template <class Stream>
void http_connection<Stream>::on_written(beast::error_code ec, bool close) {
  writing_ = false;
  if (ec || close || dead_) {
    dead_ = true;
    close_socket();
    return;
  }
  if (stashed_) {
    auto next = std::move(*stashed_);
    stashed_.reset();
    dispatch(std::move(next));
    return;
  }
  if (reading_)
    beast::get_lowest_layer(stream_).expires_after(
        idle_timeout);  // the pending read now waits for a new request
  else
    read_request();
}

template <class Stream>
void http_connection<Stream>::set_abort(std::uint64_t exchange, std::function<void()> callback) {
  if (exchange != pending_) return;
  if (dead_) {
    callback();
    return;
  }
  on_abort_ = std::move(callback);
}

template <class Stream>
void http_connection<Stream>::accept_websocket(std::uint64_t exchange, websocket_framing framing,
                                               std::size_t max_message,
                                               std::function<void(websocket_channel_ptr)> on_open) {
  if (exchange != pending_ || dead_) return;
  pending_ = 0;
  dead_ = true;  // the stream now belongs to the WebSocket
  if constexpr (!is_tls<Stream>) {
    if (!config_->limits.per_message_deflate) {
      // Beast answers the handshake (and refuses a bad one as it always
      // does); then the socket moves to a plain connection, and Beast's
      // stream, with its buffers, is gone.
      auto handshake = std::make_shared<websocket::stream<beast::tcp_stream>>(std::move(stream_));
      auto request =
          std::make_shared<http::request<http::string_body>>(std::move(upgrade_request_));
      beast::get_lowest_layer(*handshake).expires_never();
      handshake->async_accept(*request, [handshake, request, framing, max_message,
                                         queue = config_->limits.max_send_queue_bytes,
                                         on_open = std::move(on_open)](beast::error_code ec) {
        if (ec) return;
        on_open(make_plain_websocket_connection(
            std::move(beast::get_lowest_layer(*handshake).socket()), framing, max_message, queue));
      });
      return;
    }
  }
  auto ws = std::make_shared<beast_websocket_connection<Stream>>(std::move(stream_), framing,
                                                                 max_message, config_->limits);
  ws->accept(std::move(upgrade_request_), std::move(on_open));
}

}  // namespace

// --- listener ----------------------------------------------------------------

struct beast_listener::impl {
  // One io_context per I/O thread; each connection lives on one of them, so
  // its handlers never run concurrently and need no strand, and deliveries
  // to the connections of one thread can be handed over in one post
  // (delivery_batch).
  impl(std::size_t threads, connection_limits limits, request_router router)
      : thread_count(threads == 0 ? 1 : threads),
        config(std::make_shared<connection_config>(connection_config{limits, std::move(router)})) {
    for (std::size_t i = 0; i < thread_count; ++i) {
      contexts.push_back(std::make_unique<asio::io_context>(1));
      work.push_back(asio::make_work_guard(*contexts.back()));
    }
    acceptor.emplace(*contexts.front());
    retry_timer.emplace(*contexts.front());
  }

  void accept() {
    auto& home = *contexts[next_context++ % contexts.size()];
    acceptor->async_accept(home, [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
      if (ec) {
        // Typically EMFILE: wait a little instead of spinning.
        retry_timer->expires_after(std::chrono::milliseconds(50));
        retry_timer->async_wait([this](beast::error_code e) {
          if (!e) accept();
        });
        return;
      }
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      if (tls)
        std::make_shared<http_connection<tls_stream>>(config, std::move(socket), *tls)->start();
      else
        std::make_shared<http_connection<beast::tcp_stream>>(config, std::move(socket))->start();
      accept();
    });
  }

  std::size_t thread_count;
  std::shared_ptr<const connection_config> config;
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::steady_timer> retry_timer;
  std::size_t next_context = 0;           // touched by the acceptor's handler only
  std::optional<asio::ssl::context> tls;  // set: every connection speaks TLS
  std::vector<std::thread> threads;
};

beast_listener::beast_listener(std::size_t io_threads, connection_limits limits,
                               request_router router)
    : impl_(std::make_unique<impl>(io_threads, limits, std::move(router))) {}

bool beast_listener::use_tls(const std::string& certificate_file, const std::string& key_file,
                             std::string& error) {
  try {
    asio::ssl::context ctx{asio::ssl::context::tls_server};
    ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                    asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                    asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    ctx.use_certificate_chain_file(certificate_file);
    ctx.use_private_key_file(key_file, asio::ssl::context::pem);
    impl_->tls.emplace(std::move(ctx));
    return true;
  } catch (const boost::system::system_error& e) {
    error = "cannot use certificate '" + certificate_file + "' with key '" + key_file +
            "': " + e.code().message();
    return false;
  }
}

beast_listener::~beast_listener() {
  shutdown();
}

std::uint16_t beast_listener::listen(const std::string& host, std::uint16_t port,
                                     std::string& error) {
  beast::error_code ec;
  auto address = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) {
    error = "invalid listen address '" + host + "': " + ec.message();
    return 0;
  }
  tcp::endpoint endpoint{address, port};
  auto& acc = *impl_->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error = "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message();
    acc.close(ec);
    return 0;
  }
  auto bound = acc.local_endpoint(ec).port();
  asio::dispatch(acc.get_executor(), [this] { impl_->accept(); });
  for (auto& context : impl_->contexts)
    impl_->threads.emplace_back([ioc = context.get()] { ioc->run(); });
  return bound;
}

void beast_listener::stop_accepting() {
  if (impl_->threads.empty()) {
    beast::error_code ignored;
    impl_->acceptor->close(ignored);
    return;
  }
  std::promise<void> done;
  asio::dispatch(impl_->acceptor->get_executor(), [this, &done] {
    beast::error_code ignored;
    impl_->acceptor->close(ignored);
    impl_->retry_timer->cancel();
    done.set_value();
  });
  done.get_future().wait();
}

void beast_listener::shutdown() {
  if (!impl_) return;
  if (!impl_->threads.empty() && !impl_->contexts.front()->stopped() && impl_->acceptor->is_open())
    stop_accepting();
  impl_->work.clear();
  for (auto& context : impl_->contexts) context->stop();
  for (auto& t : impl_->threads)
    if (t.joinable()) t.join();
  impl_->threads.clear();
}

}  // namespace cafio::transport
