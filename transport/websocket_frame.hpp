// The header of a server-to-client WebSocket frame (RFC 6455, 5.2): one
// whole message (FIN set), text or binary, unmasked, uncompressed. cafio
// frames its data messages itself so that several can go out in one write
// (coalescing_stream); Beast still does the handshake, reading, control
// frames and compressed messages.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace cafio::transport {

struct websocket_frame_header {
  std::array<unsigned char, 10> bytes{};
  std::size_t size = 0;
};

inline websocket_frame_header make_frame_header(bool binary, std::uint64_t length) {
  websocket_frame_header h;
  h.bytes[0] = static_cast<unsigned char>(0x80 | (binary ? 0x2 : 0x1));  // FIN, opcode
  if (length < 126) {
    h.bytes[1] = static_cast<unsigned char>(length);
    h.size = 2;
  } else if (length <= 0xffff) {
    h.bytes[1] = 126;
    h.bytes[2] = static_cast<unsigned char>(length >> 8);
    h.bytes[3] = static_cast<unsigned char>(length);
    h.size = 4;
  } else {
    h.bytes[1] = 127;
    for (int i = 0; i < 8; ++i) h.bytes[2 + i] = static_cast<unsigned char>(length >> (56 - 8 * i));
    h.size = 10;
  }
  return h;
}

}  // namespace cafio::transport
