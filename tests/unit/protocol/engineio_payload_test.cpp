#include "protocol/engineio_payload.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "protocol/base64.hpp"

using namespace cafio::engineio;

TEST_CASE("engineio v4 payload joins packets with the record separator", "[engineio][payload]") {
  const std::vector<packet> packets{
      {packet_type::message, "hello", false},
      {packet_type::ping, "", false},
      {packet_type::message, "\xE2\x82\xAC", false},
  };
  CHECK(encode_payload(packets) ==
        "4hello\x1e"
        "2\x1e"
        "4\xE2\x82\xAC");
}

TEST_CASE("engineio v4 payload encodes binary as b and base64", "[engineio][payload]") {
  const std::vector<packet> packets{
      {packet_type::message, "hello", false},
      {packet_type::message, std::string{"\x01\x02\x03\x04", 4}, true},
  };
  CHECK(encode_payload(packets) ==
        "4hello\x1e"
        "bAQIDBA==");
}

TEST_CASE("engineio v4 payload of no packets is empty", "[engineio][payload]") {
  CHECK(encode_payload({}).empty());
}

TEST_CASE("engineio v4 payload append adds a separator only between packets",
          "[engineio][payload]") {
  std::string body;
  append_to_payload(body, {packet_type::noop, ""});
  CHECK(body == "6");
  append_to_payload(body, {packet_type::message, "x"});
  append_to_payload(body, {packet_type::message, "\x01", true});
  CHECK(body ==
        "6\x1e"
        "4x\x1e"
        "bAQ==");
}

TEST_CASE("engineio v4 payload decodes text and binary packets", "[engineio][payload]") {
  auto packets = decode_payload(
      "4hello\x1e"
      "bAQIDBA==\x1e"
      "2probe");
  REQUIRE(packets);
  REQUIRE(packets->size() == 3);
  CHECK((*packets)[0].type == packet_type::message);
  CHECK((*packets)[0].data == "hello");
  CHECK_FALSE((*packets)[0].binary);
  CHECK((*packets)[1].type == packet_type::message);
  CHECK((*packets)[1].binary);
  CHECK((*packets)[1].data == std::string{"\x01\x02\x03\x04", 4});
  CHECK((*packets)[2].type == packet_type::ping);
  CHECK((*packets)[2].data == "probe");
}

TEST_CASE("engineio v4 payload decodes a single packet", "[engineio][payload]") {
  auto packets = decode_payload("1");
  REQUIRE(packets);
  REQUIRE(packets->size() == 1);
  CHECK((*packets)[0].type == packet_type::close);
}

TEST_CASE("engineio v4 payload decodes an empty binary packet", "[engineio][payload]") {
  auto packets = decode_payload("b");
  REQUIRE(packets);
  REQUIRE(packets->size() == 1);
  CHECK((*packets)[0].binary);
  CHECK((*packets)[0].data.empty());
}

TEST_CASE("engineio v4 empty payload is an error", "[engineio][payload]") {
  CHECK_FALSE(decode_payload(""));
}

TEST_CASE("engineio v4 payload with an empty packet is an error", "[engineio][payload]") {
  CHECK_FALSE(decode_payload("\x1e"));
  CHECK_FALSE(decode_payload("4a\x1e"));
  CHECK_FALSE(
      decode_payload("\x1e"
                     "4a"));
  CHECK_FALSE(
      decode_payload("4a\x1e\x1e"
                     "4b"));
}

TEST_CASE("engineio v4 payload with an unknown type is an error", "[engineio][payload]") {
  // The official test suite posts "abc" and expects the session to close.
  CHECK_FALSE(decode_payload("abc"));
  CHECK_FALSE(
      decode_payload("4ok\x1e"
                     "9"));
}

TEST_CASE("engineio v4 payload with bad base64 is an error", "[engineio][payload]") {
  CHECK_FALSE(decode_payload("bAQID*"));
  CHECK_FALSE(decode_payload("bAQ"));
  CHECK(decode_payload("b!!!!").error().message == "invalid base64");
}

TEST_CASE("engineio v4 payload round-trips a big binary packet", "[engineio][payload]") {
  std::string bytes(300'001, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i % 251);
  const std::vector<packet> in{{packet_type::message, "first", false},
                               {packet_type::message, bytes, true}};
  const std::string body = encode_payload(in);
  CHECK(body.size() == 6 + 1 + 1 + cafio::base64_encode(bytes).size());
  auto out = decode_payload(body);
  REQUIRE(out);
  REQUIRE(out->size() == 2);
  CHECK((*out)[0].data == "first");
  CHECK((*out)[1].binary);
  CHECK((*out)[1].data == bytes);
}
