// Per-message permessage-deflate for Beast 1.74's websocket::stream.
//
// socket.io lets every emit choose compression (`compress(false)`) and
// engine.io leaves messages under a threshold uncompressed. Beast negotiates
// permessage-deflate per stream and then compresses every message by the
// stream's `wr_compress_opt`, which Boost 1.74 (Debian 12) keeps private
// with no setter. The only ways to a per-message choice are our own
// WebSocket framing or reaching that flag, and the second is a few lines:
// an explicit template instantiation may name private members (C++17
// [temp.spec]/6), which gives us a pointer to stream::impl_. The flag is read
// in begin_msg() when a message's first frame is written, so setting it
// before each async_write (one write in flight) decides that message. If a
// Boost update renames it, this file stops compiling; nothing fails quietly.
#pragma once

#include <boost/beast/websocket/stream.hpp>

namespace cafio::transport::detail {

template <class NextLayer>
struct stream_impl_tag {
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-template-friend"
#endif
  /// &websocket::stream<NextLayer>::impl_, defined by the instantiation below.
  friend auto stream_impl_member(stream_impl_tag);
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
};

template <class NextLayer, auto Member>
struct stream_impl_access {
  friend auto stream_impl_member(stream_impl_tag<NextLayer>) { return Member; }
};

/// Whether the next message written on `ws` is compressed (when the client
/// negotiated permessage-deflate; without it nothing is compressed anyway).
/// Needs `CAFIO_EXPOSE_STREAM_IMPL(NextLayer)` for the stream's layer.
template <class NextLayer>
void compress_next_message(boost::beast::websocket::stream<NextLayer>& ws, bool on) {
  auto member = stream_impl_member(stream_impl_tag<NextLayer>{});
  (ws.*member)->wr_compress_opt = on;
}

}  // namespace cafio::transport::detail

/// Gives compress_next_message access to websocket::stream<NextLayer>.
#define CAFIO_EXPOSE_STREAM_IMPL(NextLayer)                     \
  template struct cafio::transport::detail::stream_impl_access< \
      NextLayer, &boost::beast::websocket::stream<NextLayer>::impl_>
