// Engine.IO packets (protocol v3 and v4) and their single-frame encoding, as
// used by the WebSocket transport. See engine.io-protocol README, "Packet".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/result.hpp"

namespace cafio::engineio {

enum class protocol_version : std::uint8_t { v3 = 3, v4 = 4 };

enum class packet_type : char {
  open = '0',
  close = '1',
  ping = '2',
  pong = '3',
  message = '4',
  upgrade = '5',
  noop = '6',
};

/// One decoded Engine.IO packet. `data` holds text, or raw bytes when `binary`
/// (only message packets can be binary).
struct packet {
  packet_type type = packet_type::message;
  std::string data;
  bool binary = false;
};

/// A non-owning view used for encoding, so that a shared, already-encoded
/// payload can be framed without being copied.
struct packet_view {
  packet_type type = packet_type::message;
  std::string_view data;
  bool binary = false;
};

inline packet_view view(const packet& p) {
  return {p.type, p.data, p.binary};
}

/// Returns whether `c` is a valid packet type character ('0'..'6').
bool is_packet_type(char c) noexcept;

/// Decodes one WebSocket text frame: "<type><data>", e.g. "4hello", "2probe".
/// Fails on an empty frame or an unknown type.
result<packet> decode_text_frame(std::string_view frame);

/// Decodes one Engine.IO v3 packet sent as a string (engine.io-parser 2.x
/// decodePacket): "<type><data>", or "b<type><base64>" for a binary packet of
/// a client that asked for base64 (b64=1), in a WebSocket text frame or a
/// polling payload. Fails on an empty string, an unknown type or bad base64.
result<packet> decode_text_frame_v3(std::string_view frame);

/// Decodes one WebSocket binary frame. v4: the whole frame is the data of a
/// binary message packet. v3: the first byte is the packet type (a raw byte,
/// 4 for message) followed by the data.
result<packet> decode_binary_frame(std::string_view frame, protocol_version version);

/// Encodes a text packet as one WebSocket text frame: "<type><data>".
std::string encode_text_frame(packet_view p);

/// Encodes a binary packet as Engine.IO v3 text, "b<type><base64>", for
/// clients without binary support (b64=1).
std::string encode_base64_text_frame(packet_view p);

/// Encodes a binary message as one WebSocket binary frame. v4: the data as-is;
/// v3: a 0x04 type byte, then the data.
std::string encode_binary_frame(std::string_view data, protocol_version version);

}  // namespace cafio::engineio
