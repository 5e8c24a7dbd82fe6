#include "transport/websocket_frame_reader.hpp"

#include "protocol/utf8.hpp"

namespace cafio::transport {

int websocket_frame_reader::parse_header(const char* data, std::size_t size, header& h) {
  if (size < 2) return 0;
  auto b0 = static_cast<unsigned char>(data[0]);
  auto b1 = static_cast<unsigned char>(data[1]);
  h.fin = (b0 & 0x80) != 0;
  h.opcode = static_cast<websocket_opcode>(b0 & 0x0f);
  bool mask = (b1 & 0x80) != 0;
  if ((b0 & 0x70) != 0 || mask != masked_) {  // RSV bits without an extension; mask by role
    error_ = websocket_close_code::protocol_error;
    return -1;
  }
  std::size_t length_size = (b1 & 0x7f) == 126 ? 2 : (b1 & 0x7f) == 127 ? 8 : 0;
  h.header_size = 2 + length_size + (mask ? 4 : 0);
  if (size < h.header_size) return 0;
  if (length_size == 0) {
    h.length = b1 & 0x7f;
  } else {
    h.length = 0;
    for (std::size_t i = 0; i < length_size; ++i)
      h.length = (h.length << 8) | static_cast<unsigned char>(data[2 + i]);
    if (length_size == 8 && (h.length >> 63) != 0) {  // the most significant bit must be 0
      error_ = websocket_close_code::protocol_error;
      return -1;
    }
  }
  h.mask = mask ? reinterpret_cast<const unsigned char*>(data + 2 + length_size) : nullptr;
  return 1;
}

bool websocket_frame_reader::admissible(const header& h) {
  switch (h.opcode) {
    case websocket_opcode::close:
    case websocket_opcode::ping:
    case websocket_opcode::pong:
      if (!h.fin || h.length > 125) error_ = websocket_close_code::protocol_error;
      return error_ == 0;
    case websocket_opcode::continuation:
      if (!in_message_) error_ = websocket_close_code::protocol_error;
      break;
    case websocket_opcode::text:
    case websocket_opcode::binary:
      if (in_message_) error_ = websocket_close_code::protocol_error;
      break;
    default:  // reserved opcodes
      error_ = websocket_close_code::protocol_error;
  }
  // The size is checked before the payload is buffered, so an oversized
  // message fails at its header.
  if (error_ == 0 && (in_message_ ? message_.size() : 0) + h.length > max_message_)
    error_ = websocket_close_code::message_too_big;
  return error_ == 0;
}

bool websocket_frame_reader::control_event(const header& h, std::string_view payload,
                                           websocket_frame_event& event) {
  event.opcode = h.opcode;
  event.payload = payload;
  if (h.opcode != websocket_opcode::close) return true;
  closed_ = true;
  if (payload.empty()) {
    event.close_code = websocket_close_code::no_status;
    return true;
  }
  if (payload.size() == 1) {
    error_ = websocket_close_code::protocol_error;
    return false;
  }
  auto code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                         static_cast<unsigned char>(payload[1]));
  // Codes a peer may send (RFC 6455 7.4; 1005, 1006 and 1015 are never sent).
  bool valid = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) ||
               (code >= 3000 && code <= 4999);
  if (!valid) {
    error_ = websocket_close_code::protocol_error;
    return false;
  }
  event.close_code = code;
  event.payload = payload.substr(2);
  if (!is_valid_utf8(event.payload)) {
    error_ = websocket_close_code::invalid_payload;
    return false;
  }
  return true;
}

bool websocket_frame_reader::valid_message(websocket_opcode opcode, std::string_view payload) {
  if (opcode == websocket_opcode::text && !is_valid_utf8(payload))
    error_ = websocket_close_code::invalid_payload;
  return error_ == 0;
}

}  // namespace cafio::transport
