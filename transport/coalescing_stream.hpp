// The layer under Beast's websocket::stream through which every byte of a
// WebSocket connection is written: Beast's own writes (handshake answer,
// close and pong frames, compressed messages) and the data frames that
// websocket_connection frames itself (append_frame). Bytes that come while
// a write is in the kernel's hands are buffered and go out with the next
// write: a connection that receives several messages in one burst (the
// deliveries of several broadcasts handed to its thread together) costs one
// send system call instead of one per message, as Node's corked sockets do.
// Every append is whole, so frames never interleave.
//
// A write Beast makes is reported done once buffered while the buffer stays
// under `limit`; past it, Beast waits for the socket, and append_frame's
// caller is told to wait (room_after), which keeps a client that does not
// read from growing the server: the connection's own bounded queue fills
// instead. Beast keeps one write in flight on its next layer, so at most one
// of its writes waits here. Everything runs on the connection's I/O thread.
#pragma once

#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>

#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>

namespace cafio::transport {

namespace coalescing_detail {

/// A move-only completion (Beast's operations are move-only).
template <class... Args>
class held {
 public:
  held() = default;
  template <class F>
  explicit held(F f) : impl_(std::make_unique<model<F>>(std::move(f))) {}
  explicit operator bool() const { return impl_ != nullptr; }
  void operator()(Args... args) {
    auto impl = std::move(impl_);
    impl->call(std::forward<Args>(args)...);
  }

 private:
  struct concept_t {
    virtual ~concept_t() = default;
    virtual void call(Args... args) = 0;
  };
  template <class F>
  struct model final : concept_t {
    explicit model(F f) : f(std::move(f)) {}
    void call(Args... args) override { std::move(f)(std::forward<Args>(args)...); }
    F f;
  };
  std::unique_ptr<concept_t> impl_;
};

}  // namespace coalescing_detail

template <class Next>
class coalescing_stream {
 public:
  using next_layer_type = Next;
  using executor_type = typename Next::executor_type;

  /// Past this many buffered bytes a write waits for the socket.
  static constexpr std::size_t limit = 64 * 1024;

  explicit coalescing_stream(Next&& next)
      : next_(std::move(next)), state_(std::make_shared<state>()) {
    state_->next = &next_;
  }
  coalescing_stream(coalescing_stream&&) = delete;
  ~coalescing_stream() { state_->next = nullptr; }

  executor_type get_executor() noexcept { return next_.get_executor(); }
  Next& next_layer() noexcept { return next_; }
  const Next& next_layer() const noexcept { return next_; }

  template <class MutableBuffers, class ReadHandler>
  auto async_read_some(const MutableBuffers& buffers, ReadHandler&& handler) {
    return next_.async_read_some(buffers, std::forward<ReadHandler>(handler));
  }

  template <class ConstBuffers, class WriteHandler>
  auto async_write_some(const ConstBuffers& buffers, WriteHandler&& handler) {
    return boost::asio::async_initiate<WriteHandler, void(boost::beast::error_code, std::size_t)>(
        [this](auto handler, const ConstBuffers& buffers) {
          auto& st = *state_;
          auto ex = get_executor();
          if (st.error) {
            boost::asio::post(ex, [handler = std::move(handler), ec = st.error]() mutable {
              std::move(handler)(ec, 0);
            });
            return;
          }
          auto n = boost::asio::buffer_size(buffers);
          auto old = st.pending.size();
          st.pending.resize(old + n);
          boost::asio::buffer_copy(boost::asio::buffer(st.pending.data() + old, n), buffers);
          if (!st.writing) flush(state_);
          auto done = [handler = std::move(handler), n](boost::beast::error_code ec) mutable {
            std::move(handler)(ec, ec ? 0 : n);
          };
          if (st.pending.size() + st.in_flight.size() <= limit)
            boost::asio::post(ex, [done = std::move(done)]() mutable {
              std::move(done)(boost::beast::error_code{});
            });
          else
            st.waiting = coalescing_detail::held<boost::beast::error_code>(std::move(done));
        },
        handler, buffers);
  }

  /// Appends one frame, given as consecutive pieces written whole, and
  /// starts writing if nothing is in flight. False once writing has failed.
  bool append_frame(std::initializer_list<boost::asio::const_buffer> pieces) {
    auto& st = *state_;
    if (st.error) return false;
    auto at = st.pending.size();
    std::size_t n = 0;
    for (auto& b : pieces) n += b.size();
    st.pending.resize(at + n);
    for (auto& b : pieces) {
      if (b.size() != 0) std::memcpy(st.pending.data() + at, b.data(), b.size());
      at += b.size();
    }
    if (!st.writing) flush(state_);
    return true;
  }

  /// True while more bytes are buffered than `limit`.
  bool full() const noexcept { return state_->pending.size() + state_->in_flight.size() > limit; }

  /// Runs `f` once the buffer is back under `limit` (or writing failed).
  template <class F>
  void room_after(F f) {
    state_->room = coalescing_detail::held<>(std::move(f));
  }

  /// Runs `f` once every buffered byte is written (or failed).
  template <class F>
  void when_flushed(F f) {
    auto& st = *state_;
    if (!st.writing) {
      boost::asio::post(get_executor(), std::move(f));
      return;
    }
    st.flushed = coalescing_detail::held<>(std::move(f));
  }

 private:
  // Shared with the write in flight, which may complete after the stream
  // is gone (then `next` is null and nothing more is written).
  struct state {
    Next* next = nullptr;
    std::vector<char> pending;    // written by Beast, not yet handed to the socket
    std::vector<char> in_flight;  // handed to the socket
    bool writing = false;
    boost::beast::error_code error;
    coalescing_detail::held<boost::beast::error_code> waiting;  // a write over the limit
    coalescing_detail::held<> flushed;                          // when_flushed
    coalescing_detail::held<> room;                             // room_after
  };

  static void flush(const std::shared_ptr<state>& sp) {
    auto& st = *sp;
    st.writing = true;
    std::swap(st.pending, st.in_flight);
    st.pending.clear();
    boost::asio::async_write(*st.next, boost::asio::buffer(st.in_flight),
                             [sp](boost::beast::error_code ec, std::size_t) {
                               auto& st = *sp;
                               st.writing = false;
                               // An idle connection keeps no buffer (most
                               // connections are idle most of the time); a
                               // busy one keeps a burst's, up to 16 KB.
                               if (st.pending.empty() || st.in_flight.capacity() > 16 * 1024)
                                 std::vector<char>().swap(st.in_flight);
                               else
                                 st.in_flight.clear();
                               if (st.pending.empty()) std::vector<char>().swap(st.pending);
                               if (ec) {
                                 st.error = ec;
                                 st.pending.clear();
                               } else if (!st.pending.empty() && st.next) {
                                 flush(sp);
                               }
                               bool room = ec || st.pending.size() + st.in_flight.size() <= limit;
                               if (st.waiting && room) st.waiting(ec);
                               if (st.room && room) st.room();
                               if (st.flushed && !st.writing) st.flushed();
                             });
  }

  Next next_;
  std::shared_ptr<state> state_;
};

/// Beast's websocket teardown (after the close frame): first let the
/// buffered bytes, the close frame among them, reach the socket.
template <class Next, class TeardownHandler>
void async_teardown(boost::beast::role_type role, coalescing_stream<Next>& stream,
                    TeardownHandler&& handler) {
  stream.when_flushed([role, &stream, handler = std::forward<TeardownHandler>(handler)]() mutable {
    using boost::beast::websocket::async_teardown;
    async_teardown(role, stream.next_layer(), std::move(handler));
  });
}

template <class Next>
void teardown(boost::beast::role_type role, coalescing_stream<Next>& stream,
              boost::beast::error_code& ec) {
  using boost::beast::websocket::teardown;
  teardown(role, stream.next_layer(), ec);
}

}  // namespace cafio::transport
