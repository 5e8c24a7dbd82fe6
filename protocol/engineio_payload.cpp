#include "protocol/engineio_payload.hpp"

#include "protocol/base64.hpp"

namespace cafio::engineio {

namespace {

std::size_t encoded_size(packet_view p) {
  return 1 + (p.binary ? (p.data.size() + 2) / 3 * 4 : p.data.size());
}

void append_packet(std::string& body, packet_view p) {
  if (p.binary) {
    // EIO v4: binary is always a message, so no type follows the 'b'.
    body += 'b';
    base64_encode_append(body, p.data);
  } else {
    body += static_cast<char>(p.type);
    body += p.data;
  }
}

}  // namespace

void append_to_payload(std::string& body, packet_view p) {
  body.reserve(body.size() + 1 + encoded_size(p));
  if (!body.empty()) body += record_separator;
  append_packet(body, p);
}

std::string encode_payload(const std::vector<packet>& packets) {
  std::size_t size = packets.empty() ? 0 : packets.size() - 1;
  for (const auto& p : packets) size += encoded_size(view(p));
  std::string body;
  body.reserve(size);
  for (const auto& p : packets) {
    if (!body.empty()) body += record_separator;
    append_packet(body, view(p));
  }
  return body;
}

result<std::vector<packet>> decode_payload(std::string_view body) {
  if (body.empty()) return make_error("empty payload");
  std::vector<packet> packets;
  std::size_t count = 1;
  for (char c : body) count += c == record_separator;
  packets.reserve(count);
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = body.find(record_separator, start);
    const std::string_view part =
        body.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (part.empty()) return make_error("empty packet");
    if (part[0] == 'b') {
      auto bytes = base64_decode(part.substr(1));
      if (!bytes) return make_error("invalid base64");
      packets.push_back(packet{packet_type::message, std::move(*bytes), true});
    } else {
      auto decoded = decode_text_frame(part);
      if (!decoded) return decoded.error();
      packets.push_back(std::move(decoded).value());
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return packets;
}

}  // namespace cafio::engineio
