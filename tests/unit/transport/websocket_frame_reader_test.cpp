// The frame reader of plain_websocket_connection and the load generator
// (RFC 6455, 5): whole, split and fragmented messages, control frames, and
// the close code of each violation.
#include "transport/websocket_frame_reader.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

using namespace cafio::transport;

namespace {

struct seen {
  websocket_opcode opcode;
  std::string payload;
  std::uint16_t close_code;
  bool operator==(const seen& o) const {
    return opcode == o.opcode && payload == o.payload && close_code == o.close_code;
  }
};

const unsigned char mask_key[4] = {0x37, 0xfa, 0x21, 0x3d};

/// One frame as a client sends it (masked) or a server does (`masked` false).
std::string frame(unsigned char first_byte, std::string payload, bool masked = true,
                  int length_bytes = 0) {
  std::string out(1, static_cast<char>(first_byte));
  auto n = payload.size();
  unsigned char m = masked ? 0x80 : 0;
  if (length_bytes == 0) length_bytes = n < 126 ? 1 : n <= 0xffff ? 2 : 8;
  if (length_bytes == 1) {
    out += static_cast<char>(m | n);
  } else if (length_bytes == 2) {
    out += static_cast<char>(m | 126);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n);
  } else {
    out += static_cast<char>(m | 127);
    for (int i = 7; i >= 0; --i) out += static_cast<char>(static_cast<std::uint64_t>(n) >> (8 * i));
  }
  if (masked) {
    out.append(reinterpret_cast<const char*>(mask_key), 4);
    for (std::size_t i = 0; i < n; ++i) payload[i] ^= static_cast<char>(mask_key[i & 3]);
  }
  return out + payload;
}

struct run {
  std::vector<seen> events;
  std::uint16_t error = 0;
};

/// Feeds `bytes` in pieces of `step` bytes (0: all at once).
run read_all(websocket_frame_reader& reader, std::string bytes, std::size_t step = 0) {
  run r;
  auto on_event = [&](const websocket_frame_event& e) {
    r.events.push_back({e.opcode, std::string(e.payload), e.close_code});
  };
  if (step == 0) step = bytes.size();
  for (std::size_t at = 0; at < bytes.size() && r.error == 0; at += step) {
    std::string piece = bytes.substr(at, step);
    r.error = reader.feed(piece.data(), piece.size(), on_event);
  }
  return r;
}

}  // namespace

TEST_CASE("frame reader: whole messages, in one piece or byte by byte", "[transport][websocket]") {
  std::string big(70000, 'x');
  auto bytes = frame(0x81, "4hello") + frame(0x82, std::string("\x01\x02", 2)) +
               frame(0x81, std::string(300, 'a')) + frame(0x82, big);
  for (std::size_t step : {0, 1, 7, 1000}) {
    websocket_frame_reader reader(true, 1000000);
    auto r = read_all(reader, bytes, step);
    REQUIRE(r.error == 0);
    REQUIRE(r.events.size() == 4);
    CHECK(r.events[0] == seen{websocket_opcode::text, "4hello", 0});
    CHECK(r.events[1] == seen{websocket_opcode::binary, std::string("\x01\x02", 2), 0});
    CHECK(r.events[2] == seen{websocket_opcode::text, std::string(300, 'a'), 0});
    CHECK(r.events[3] == seen{websocket_opcode::binary, big, 0});
    CHECK(reader.idle());
  }
}

TEST_CASE("frame reader: fragments are joined, control frames pass between them",
          "[transport][websocket]") {
  auto bytes = frame(0x01, "4he") + frame(0x89, "p") + frame(0x00, "ll") + frame(0x80, "o") +
               frame(0x8A, "") + frame(0x88, std::string("\x03\xe8") + "bye");
  for (std::size_t step : {0, 1, 3}) {
    websocket_frame_reader reader(true, 100);
    auto r = read_all(reader, bytes, step);
    REQUIRE(r.error == 0);
    REQUIRE(r.events.size() == 4);
    CHECK(r.events[0] == seen{websocket_opcode::ping, "p", 0});
    CHECK(r.events[1] == seen{websocket_opcode::text, "4hello", 0});
    CHECK(r.events[2] == seen{websocket_opcode::pong, "", 0});
    CHECK(r.events[3] == seen{websocket_opcode::close, "bye", 1000});
    CHECK(reader.closed());
  }
}

TEST_CASE("frame reader: nothing is read after a close frame; an empty close is 1005",
          "[transport][websocket]") {
  websocket_frame_reader reader(true, 100);
  auto r = read_all(reader, frame(0x88, "") + frame(0x81, "4x"));
  REQUIRE(r.error == 0);
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0] == seen{websocket_opcode::close, "", 1005});
}

TEST_CASE("frame reader: a client reads unmasked frames", "[transport][websocket]") {
  websocket_frame_reader reader(false, 100);
  auto r = read_all(reader, frame(0x81, "0{}", false) + frame(0x89, "", false), 1);
  REQUIRE(r.error == 0);
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0] == seen{websocket_opcode::text, "0{}", 0});
  CHECK(r.events[1].opcode == websocket_opcode::ping);
}

TEST_CASE("frame reader: violations give their close codes", "[transport][websocket]") {
  auto error_of = [](std::string bytes, bool masked = true, std::size_t max = 100) {
    websocket_frame_reader reader(masked, max);
    return read_all(reader, bytes).error;
  };
  using namespace websocket_close_code;
  CHECK(error_of(frame(0x81, "4x", false)) == protocol_error);  // a client must mask
  CHECK(error_of(frame(0x81, "4x"), false) == protocol_error);  // a server must not
  CHECK(error_of(frame(0xC1, "4x")) == protocol_error);         // RSV1 without deflate
  CHECK(error_of(frame(0x83, "4x")) == protocol_error);         // reserved data opcode
  CHECK(error_of(frame(0x8B, "")) == protocol_error);           // reserved control opcode
  CHECK(error_of(frame(0x80, "4x")) == protocol_error);         // continuation of nothing
  CHECK(error_of(frame(0x01, "4") + frame(0x81, "x")) == protocol_error);      // new inside one
  CHECK(error_of(frame(0x09, "")) == protocol_error);                          // fragmented ping
  CHECK(error_of(frame(0x89, std::string(126, 'p'))) == protocol_error);       // long ping
  CHECK(error_of(frame(0x88, "x")) == protocol_error);                         // 1-byte close
  CHECK(error_of(frame(0x88, std::string("\x03\xed", 2))) == protocol_error);  // code 1005
  CHECK(error_of(frame(0x88, std::string("\x03\xe8\xff", 3))) == invalid_payload);
  CHECK(error_of(frame(0x81, "\xc3\x28")) == invalid_payload);          // bad UTF-8 text
  CHECK(error_of(frame(0x82, "\xc3\x28")) == 0);                        // binary is not text
  CHECK(error_of(frame(0x01, "\xe2\x82") + frame(0x80, "\xac")) == 0);  // split sequence
  CHECK(error_of(frame(0x82, std::string(101, 'b'))) == message_too_big);
  CHECK(error_of(frame(0x02, std::string(60, 'b')) + frame(0x80, std::string(41, 'b'))) ==
        message_too_big);
  std::string huge_length = "\x82\xff";  // 64-bit length with the top bit set
  huge_length += std::string("\x80\0\0\0\0\0\0\0", 8) + "abcd";
  CHECK(error_of(huge_length) == protocol_error);
}

TEST_CASE("frame reader: an oversized message fails at its header, before its payload",
          "[transport][websocket]") {
  websocket_frame_reader reader(true, 1000);
  auto bytes = frame(0x82, std::string(5000, 'b'));
  std::string head = bytes.substr(0, 8);  // header and mask only
  auto ignore = [](const websocket_frame_event&) {};
  CHECK(reader.feed(head.data(), head.size(), ignore) == websocket_close_code::message_too_big);
}
