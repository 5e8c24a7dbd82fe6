#include "protocol/engineio_payload_v3.hpp"

#include <charconv>
#include <limits>

#include "protocol/utf8.hpp"

namespace cafio::engineio::v3 {

namespace {

// No sane payload length has more digits than a 64-bit size.
constexpr std::size_t max_length_digits = std::numeric_limits<std::size_t>::digits10;

void append_decimal(std::string& out, std::size_t value) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, res.ptr);
}

// Appends `value` as engine.io-parser 2.x writes binary payload lengths: one
// raw byte (0-9) per decimal digit.
void append_raw_digits(std::string& out, std::size_t value) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  for (const char* p = buf; p != res.ptr; ++p) out += static_cast<char>(*p - '0');
}

// How many bytes of `text` hold its first `units` UTF-16 code units, or npos
// when the text is shorter or the count ends inside a surrogate pair.
std::size_t utf8_prefix_of_utf16_units(std::string_view text, std::size_t units) {
  std::size_t i = 0;
  while (units > 0) {
    if (i >= text.size()) return std::string_view::npos;
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      --units;
      continue;
    }
    const auto seq = next_utf8_sequence(text.substr(i));
    const std::size_t width = (seq.valid && seq.size == 4) ? 2 : 1;
    if (width > units) return std::string_view::npos;
    units -= width;
    i += seq.size;
  }
  return i;
}

}  // namespace

void append_to_text_payload(std::string& body, packet_view p) {
  if (p.binary) {
    const std::string text = encode_base64_text_frame(p);
    body.reserve(body.size() + 24 + text.size());
    append_decimal(body, text.size());  // base64 is ASCII: bytes are units
    body += ':';
    body += text;
    return;
  }
  // EIO v3: the length counts UTF-16 code units, as JavaScript strings do.
  body.reserve(body.size() + 24 + 1 + p.data.size());
  append_decimal(body, 1 + utf16_length(p.data));
  body += ':';
  body += static_cast<char>(p.type);
  body += p.data;
}

std::string encode_text_payload(const std::vector<packet>& packets) {
  if (packets.empty()) return "0:";
  std::string body;
  for (const auto& p : packets) append_to_text_payload(body, view(p));
  return body;
}

result<std::vector<packet>> decode_text_payload(std::string_view body) {
  if (body.empty()) return make_error("empty payload");
  std::vector<packet> packets;
  std::size_t i = 0;
  while (i < body.size()) {
    std::size_t length = 0;
    const std::size_t start = i;
    for (; i < body.size() && body[i] != ':'; ++i) {
      const char c = body[i];
      if (c < '0' || c > '9' || i - start >= max_length_digits) {
        return make_error("invalid length");
      }
      length = length * 10 + static_cast<std::size_t>(c - '0');
    }
    if (i == start || i == body.size()) return make_error("invalid length");
    ++i;  // ':'
    const std::string_view rest = body.substr(i);
    const std::size_t size = utf8_prefix_of_utf16_units(rest, length);
    if (size == std::string_view::npos) return make_error("invalid length");
    if (size > 0) {
      auto decoded = decode_text_frame_v3(rest.substr(0, size));
      if (!decoded) return decoded.error();
      packets.push_back(std::move(decoded).value());
    }
    i += size;
  }
  return packets;
}

void append_to_binary_payload(std::string& body, packet_view p) {
  // engine.io-parser 2.x encodeOneBinaryPacket: the length is that of the
  // encoded packet in bytes (a text packet is UTF-8 encoded first).
  const std::size_t length = 1 + p.data.size();
  body.reserve(body.size() + 24 + length);
  body += p.binary ? '\x01' : '\x00';
  append_raw_digits(body, length);
  body += '\xFF';
  if (p.binary) {
    body += static_cast<char>(static_cast<char>(p.type) - '0');
  } else {
    body += static_cast<char>(p.type);
  }
  body += p.data;
}

std::string encode_binary_payload(const std::vector<packet>& packets) {
  std::size_t size = 0;
  for (const auto& p : packets) size += 24 + 1 + p.data.size();
  std::string body;
  body.reserve(size);
  for (const auto& p : packets) append_to_binary_payload(body, view(p));
  return body;
}

result<std::vector<packet>> decode_binary_payload(std::string_view body) {
  std::vector<packet> packets;
  std::size_t i = 0;
  while (i < body.size()) {
    const auto marker = static_cast<unsigned char>(body[i++]);
    if (marker > 1) return make_error("invalid packet marker");
    std::size_t length = 0;
    const std::size_t start = i;
    for (; i < body.size() && static_cast<unsigned char>(body[i]) != 0xFF; ++i) {
      const auto digit = static_cast<unsigned char>(body[i]);
      if (digit > 9 || i - start >= max_length_digits) return make_error("invalid length");
      length = length * 10 + digit;
    }
    if (i == start || i == body.size()) return make_error("invalid length");
    ++i;  // 0xFF
    if (length > body.size() - i) return make_error("invalid length");
    const std::string_view encoded = body.substr(i, length);
    i += length;
    if (marker == 0) {
      auto decoded = decode_text_frame_v3(encoded);
      if (!decoded) return decoded.error();
      packets.push_back(std::move(decoded).value());
    } else {
      // A binary packet: a raw type byte, then the data.
      auto decoded = decode_binary_frame(encoded, protocol_version::v3);
      if (!decoded) return decoded.error();
      packets.push_back(std::move(decoded).value());
    }
  }
  return packets;
}

}  // namespace cafio::engineio::v3
