// A WebSocket connection over a plain TCP socket without permessage-deflate:
// the usual case, and the one that must be lean. Instead of Beast's stream
// (2.5 KB of state and a pending composed read per connection) an idle
// connection waits for readability with nothing allocated but the wait
// itself; the bytes are read into a buffer of its I/O thread and parsed by
// websocket_frame_reader, which keeps only an incomplete frame. Frames are
// written through a coalescing_stream, so a burst goes out in one send.
#pragma once

#include <cstddef>

#include <boost/asio/ip/tcp.hpp>

#include "transport/http_exchange.hpp"
#include "transport/websocket_channel.hpp"

namespace cafio::transport {

/// Takes over `socket` once the WebSocket handshake has been answered.
websocket_channel_ptr make_plain_websocket_connection(boost::asio::ip::tcp::socket socket,
                                                      websocket_framing framing,
                                                      std::size_t max_message,
                                                      std::size_t max_send_queue_bytes);

}  // namespace cafio::transport
