#include "protocol/engineio_packet.hpp"

#include "protocol/base64.hpp"

namespace cafio::engineio {

bool is_packet_type(char c) noexcept {
  return c >= '0' && c <= '6';
}

result<packet> decode_text_frame(std::string_view frame) {
  if (frame.empty()) return make_error("empty packet");
  if (!is_packet_type(frame[0])) return make_error("unknown packet type");
  return packet{static_cast<packet_type>(frame[0]), std::string{frame.substr(1)}, false};
}

result<packet> decode_text_frame_v3(std::string_view frame) {
  if (!frame.empty() && frame[0] == 'b') {
    if (frame.size() < 2 || !is_packet_type(frame[1])) return make_error("unknown packet type");
    auto bytes = base64_decode(frame.substr(2));
    if (!bytes) return make_error("invalid base64");
    return packet{static_cast<packet_type>(frame[1]), std::move(*bytes), true};
  }
  return decode_text_frame(frame);
}

result<packet> decode_binary_frame(std::string_view frame, protocol_version version) {
  if (version == protocol_version::v4) {
    // EIO v4: a binary frame is always the data of a message packet.
    return packet{packet_type::message, std::string{frame}, true};
  }
  // EIO v3: the first byte is the packet type as a raw number (4 = message).
  if (frame.empty()) return make_error("empty packet");
  const auto raw = static_cast<unsigned char>(frame[0]);
  if (raw > 6) return make_error("unknown packet type");
  return packet{static_cast<packet_type>('0' + raw), std::string{frame.substr(1)}, true};
}

std::string encode_text_frame(packet_view p) {
  std::string out;
  out.reserve(1 + p.data.size());
  out += static_cast<char>(p.type);
  out += p.data;
  return out;
}

std::string encode_base64_text_frame(packet_view p) {
  std::string out;
  out.reserve(2 + (p.data.size() + 2) / 3 * 4);
  out += 'b';
  out += static_cast<char>(p.type);
  base64_encode_append(out, p.data);
  return out;
}

std::string encode_binary_frame(std::string_view data, protocol_version version) {
  if (version == protocol_version::v4) return std::string{data};
  std::string out;
  out.reserve(1 + data.size());
  out += '\x04';  // EIO v3: raw type byte of a message packet
  out += data;
  return out;
}

}  // namespace cafio::engineio
