#include "protocol/engineio_packet.hpp"

#include <string>

#include <catch2/catch.hpp>

using namespace cafio::engineio;

TEST_CASE("engineio packet types are the characters 0 to 6", "[engineio][packet]") {
  for (char c = '0'; c <= '6'; ++c) CHECK(is_packet_type(c));
  CHECK_FALSE(is_packet_type('7'));
  CHECK_FALSE(is_packet_type('/'));
  CHECK_FALSE(is_packet_type('b'));
  CHECK_FALSE(is_packet_type('\x04'));
}

TEST_CASE("engineio text frame decodes type and data", "[engineio][packet]") {
  auto p = decode_text_frame("4hello");
  REQUIRE(p);
  CHECK(p->type == packet_type::message);
  CHECK(p->data == "hello");
  CHECK_FALSE(p->binary);

  auto probe = decode_text_frame("2probe");
  REQUIRE(probe);
  CHECK(probe->type == packet_type::ping);
  CHECK(probe->data == "probe");
}

TEST_CASE("engineio text frame of a type alone has empty data", "[engineio][packet]") {
  auto p = decode_text_frame("6");
  REQUIRE(p);
  CHECK(p->type == packet_type::noop);
  CHECK(p->data.empty());
}

TEST_CASE("engineio text frame keeps UTF-8 data", "[engineio][packet]") {
  auto p = decode_text_frame("4caf\xC3\xA9 \xF0\x9F\x98\x80");
  REQUIRE(p);
  CHECK(p->data == "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

TEST_CASE("engineio empty text frame is an error", "[engineio][packet]") {
  CHECK_FALSE(decode_text_frame(""));
}

TEST_CASE("engineio text frame of an unknown type is an error", "[engineio][packet]") {
  CHECK_FALSE(decode_text_frame("7"));
  CHECK_FALSE(decode_text_frame("abc"));
  CHECK_FALSE(decode_text_frame("bAQID"));
  CHECK(decode_text_frame("abc").error().message == "unknown packet type");
}

TEST_CASE("engineio v4 binary frame is a binary message of the whole frame", "[engineio][packet]") {
  const std::string frame{"\x04\x00\xFF", 3};
  auto p = decode_binary_frame(frame, protocol_version::v4);
  REQUIRE(p);
  CHECK(p->type == packet_type::message);
  CHECK(p->binary);
  CHECK(p->data == frame);
}

TEST_CASE("engineio v3 binary frame starts with a raw type byte", "[engineio][packet]") {
  auto p = decode_binary_frame(std::string{"\x04\x01\x02", 3}, protocol_version::v3);
  REQUIRE(p);
  CHECK(p->type == packet_type::message);
  CHECK(p->binary);
  CHECK(p->data == std::string{"\x01\x02", 2});
}

TEST_CASE("engineio empty v3 binary frame is an error", "[engineio][packet]") {
  CHECK_FALSE(decode_binary_frame("", protocol_version::v3));
}

TEST_CASE("engineio v3 binary frame of an unknown type is an error", "[engineio][packet]") {
  CHECK_FALSE(
      decode_binary_frame("\x07"
                          "abc",
                          protocol_version::v3));
  CHECK_FALSE(decode_binary_frame("4abc", protocol_version::v3));  // '4' is 0x34, not 4
}

TEST_CASE("engineio text frame encodes type then data", "[engineio][packet]") {
  CHECK(encode_text_frame({packet_type::message, "hello"}) == "4hello");
  CHECK(encode_text_frame({packet_type::pong, "probe"}) == "3probe");
  CHECK(encode_text_frame({packet_type::close, ""}) == "1");
  const packet p{packet_type::open, R"({"sid":"x"})", false};
  CHECK(encode_text_frame(view(p)) == R"(0{"sid":"x"})");
}

TEST_CASE("engineio binary frame encodes by protocol version", "[engineio][packet]") {
  const std::string data{"\x00\x01", 2};
  CHECK(encode_binary_frame(data, protocol_version::v4) == data);
  CHECK(encode_binary_frame(data, protocol_version::v3) == std::string{"\x04\x00\x01", 3});
}

TEST_CASE("engineio frames round-trip", "[engineio][packet]") {
  auto text = decode_text_frame(encode_text_frame({packet_type::message, "42[\"a\"]"}));
  REQUIRE(text);
  CHECK(text->data == "42[\"a\"]");
  for (auto version : {protocol_version::v3, protocol_version::v4}) {
    auto bin = decode_binary_frame(encode_binary_frame("\xFF\xFE", version), version);
    REQUIRE(bin);
    CHECK(bin->type == packet_type::message);
    CHECK(bin->binary);
    CHECK(bin->data == "\xFF\xFE");
  }
}

TEST_CASE("engineio v3 text frame decodes a plain packet like v4", "[engineio][packet][v3]") {
  auto p = decode_text_frame_v3("4hello");
  REQUIRE(p);
  CHECK(p->type == packet_type::message);
  CHECK(p->data == "hello");
  CHECK_FALSE(p->binary);
  CHECK_FALSE(decode_text_frame_v3(""));
  CHECK_FALSE(decode_text_frame_v3("7"));
}

TEST_CASE("engineio v3 text frame b<type><base64> is a binary packet", "[engineio][packet][v3]") {
  auto p = decode_text_frame_v3("b4AQID");
  REQUIRE(p);
  CHECK(p->type == packet_type::message);
  CHECK(p->binary);
  CHECK(p->data == std::string{"\x01\x02\x03", 3});
  auto empty = decode_text_frame_v3("b4");
  REQUIRE(empty);
  CHECK(empty->binary);
  CHECK(empty->data.empty());
}

TEST_CASE("engineio v3 base64 text frame with an unknown type or bad base64 is an error",
          "[engineio][packet][v3]") {
  CHECK_FALSE(decode_text_frame_v3("b"));
  CHECK_FALSE(decode_text_frame_v3("b9AQID"));
  CHECK_FALSE(decode_text_frame_v3("bb"));
  CHECK_FALSE(decode_text_frame_v3("b4AQI*"));
  CHECK(decode_text_frame_v3("b4AQI*").error().message == "invalid base64");
}

TEST_CASE("engineio v3 base64 text frame encodes b, type and padded base64",
          "[engineio][packet][v3]") {
  CHECK(encode_base64_text_frame(
            {packet_type::message, std::string{"\x01\x02\x03\x04", 4}, true}) == "b4AQIDBA==");
  CHECK(encode_base64_text_frame({packet_type::message, "", true}) == "b4");
  auto back = decode_text_frame_v3(encode_base64_text_frame({packet_type::message, "\xFF", true}));
  REQUIRE(back);
  CHECK(back->data == "\xFF");
}
