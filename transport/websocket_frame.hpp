// The header of a WebSocket frame cafio writes (RFC 6455, 5.2): always FIN,
// unmasked and uncompressed. Data messages are one frame each; control frames
// (ping, pong, close) are written by plain_websocket_connection. cafio frames
// its messages itself so that several can go out in one write
// (coalescing_stream).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace cafio::transport {

/// RFC 6455 opcodes.
enum class websocket_opcode : unsigned char {
  continuation = 0x0,
  text = 0x1,
  binary = 0x2,
  close = 0x8,
  ping = 0x9,
  pong = 0xA,
};

struct websocket_frame_header {
  std::array<unsigned char, 10> bytes{};
  std::size_t size = 0;
};

inline websocket_frame_header make_frame_header(websocket_opcode opcode, std::uint64_t length) {
  websocket_frame_header h;
  h.bytes[0] = static_cast<unsigned char>(0x80 | static_cast<unsigned char>(opcode));  // FIN
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

/// A whole data message in one frame.
inline websocket_frame_header make_frame_header(bool binary, std::uint64_t length) {
  return make_frame_header(binary ? websocket_opcode::binary : websocket_opcode::text, length);
}

}  // namespace cafio::transport
