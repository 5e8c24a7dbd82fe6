#include "protocol/engineio_payload_v3.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

using namespace cafio::engineio;
namespace v3 = cafio::engineio::v3;

namespace {

std::string bin(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out += static_cast<char>(b);
  return out;
}

}  // namespace

// --- text payloads ("<length>:<packet>") ----------------------------------

TEST_CASE("engineio v3 text payload prefixes each packet with its length", "[engineio][v3]") {
  const std::vector<packet> packets{{packet_type::message, "hello world", false},
                                    {packet_type::message, "hi", false},
                                    {packet_type::ping, "", false}};
  CHECK(v3::encode_text_payload(packets) == "12:4hello world3:4hi1:2");
}

TEST_CASE("engineio v3 text payload of no packets is 0:", "[engineio][v3]") {
  CHECK(v3::encode_text_payload({}) == "0:");
}

TEST_CASE("engineio v3 text payload length counts UTF-16 code units", "[engineio][v3]") {
  // "é" and "€" are one unit each (2 and 3 UTF-8 bytes); "😀" is a surrogate pair.
  std::string body;
  v3::append_to_text_payload(body, {packet_type::message, "caf\xC3\xA9"});
  v3::append_to_text_payload(body, {packet_type::message, "\xE2\x82\xAC"});
  v3::append_to_text_payload(body, {packet_type::message, "\xF0\x9F\x98\x80!"});
  CHECK(body ==
        "5:4caf\xC3\xA9"
        "2:4\xE2\x82\xAC"
        "4:4\xF0\x9F\x98\x80!");
}

TEST_CASE("engineio v3 text payload encodes binary as b, type and base64", "[engineio][v3]") {
  const std::vector<packet> packets{{packet_type::message, "hi", false},
                                    {packet_type::message, bin({1, 2, 3, 4}), true}};
  CHECK(v3::encode_text_payload(packets) == "3:4hi10:b4AQIDBA==");
}

TEST_CASE("engineio v3 text payload decodes text and binary packets", "[engineio][v3]") {
  auto packets = v3::decode_text_payload("12:4hello world10:b4AQIDBA==1:2");
  REQUIRE(packets);
  REQUIRE(packets->size() == 3);
  CHECK((*packets)[0].type == packet_type::message);
  CHECK((*packets)[0].data == "hello world");
  CHECK_FALSE((*packets)[0].binary);
  CHECK((*packets)[1].type == packet_type::message);
  CHECK((*packets)[1].binary);
  CHECK((*packets)[1].data == bin({1, 2, 3, 4}));
  CHECK((*packets)[2].type == packet_type::ping);
  CHECK((*packets)[2].data.empty());
}

TEST_CASE("engineio v3 text payload decodes non-BMP characters by UTF-16 length",
          "[engineio][v3]") {
  auto packets = v3::decode_text_payload("4:4\xF0\x9F\x98\x80!5:4caf\xC3\xA9");
  REQUIRE(packets);
  REQUIRE(packets->size() == 2);
  CHECK((*packets)[0].data == "\xF0\x9F\x98\x80!");
  CHECK((*packets)[1].data == "caf\xC3\xA9");
}

TEST_CASE("engineio v3 text payload round-trips mixed packets", "[engineio][v3]") {
  const std::vector<packet> in{
      {packet_type::message, "42[\"chat\",\"\xE2\x9D\xA4\xF0\x9F\x8E\x89\"]", false},
      {packet_type::message, bin({0, 255, 128}), true},
      {packet_type::noop, "", false}};
  auto out = v3::decode_text_payload(v3::encode_text_payload(in));
  REQUIRE(out);
  REQUIRE(out->size() == in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    CHECK((*out)[i].type == in[i].type);
    CHECK((*out)[i].data == in[i].data);
    CHECK((*out)[i].binary == in[i].binary);
  }
}

TEST_CASE("engineio v3 text payload skips empty packets", "[engineio][v3]") {
  auto none = v3::decode_text_payload("0:");
  REQUIRE(none);
  CHECK(none->empty());
  auto one = v3::decode_text_payload("0:2:4a");
  REQUIRE(one);
  REQUIRE(one->size() == 1);
  CHECK((*one)[0].data == "a");
}

TEST_CASE("engineio v3 empty text payload is an error", "[engineio][v3]") {
  CHECK_FALSE(v3::decode_text_payload(""));
}

TEST_CASE("engineio v3 text payload with a malformed length is an error", "[engineio][v3]") {
  CHECK_FALSE(v3::decode_text_payload(":4hi"));    // no digits
  CHECK_FALSE(v3::decode_text_payload("3"));       // no colon
  CHECK_FALSE(v3::decode_text_payload("3:4hi3"));  // trailing length
  CHECK_FALSE(v3::decode_text_payload("a:4hi"));   // not a digit
  CHECK_FALSE(v3::decode_text_payload("-1:4"));
  CHECK_FALSE(v3::decode_text_payload(" 3:4hi"));
  CHECK_FALSE(v3::decode_text_payload("99999999999999999999:4"));  // overflow
  CHECK(v3::decode_text_payload("3").error().message == "invalid length");
}

TEST_CASE("engineio v3 text payload with a length past the body is an error", "[engineio][v3]") {
  CHECK_FALSE(v3::decode_text_payload("4:4hi"));
  // Bytes are not units: "4€" is 2 units, 4 bytes.
  CHECK_FALSE(v3::decode_text_payload("4:4\xE2\x82\xAC"));
  CHECK(v3::decode_text_payload("2:4\xE2\x82\xAC"));
}

TEST_CASE("engineio v3 text payload length ending inside a surrogate pair is an error",
          "[engineio][v3]") {
  CHECK_FALSE(v3::decode_text_payload("2:4\xF0\x9F\x98\x80"));
  CHECK(v3::decode_text_payload("3:4\xF0\x9F\x98\x80"));
}

TEST_CASE("engineio v3 text payload with an unknown packet type is an error", "[engineio][v3]") {
  CHECK_FALSE(v3::decode_text_payload("3:abc"));
  CHECK_FALSE(v3::decode_text_payload("2:7x"));
  CHECK_FALSE(v3::decode_text_payload("6:b9AQID"));  // binary of type 9
  CHECK_FALSE(v3::decode_text_payload("1:b"));
}

TEST_CASE("engineio v3 text payload with bad base64 is an error", "[engineio][v3]") {
  CHECK_FALSE(v3::decode_text_payload("6:b4AQI*"));
  CHECK_FALSE(v3::decode_text_payload("5:b4AQI"));
}

// --- binary (XHR2) payloads -----------------------------------------------

TEST_CASE("engineio v3 binary payload frames a text packet with marker 0", "[engineio][v3]") {
  std::string body;
  v3::append_to_binary_payload(body, {packet_type::message, "hello"});
  CHECK(body == bin({0, 6, 0xFF}) + "4hello");
}

TEST_CASE("engineio v3 binary payload frames a binary packet with marker 1 and a type byte",
          "[engineio][v3]") {
  std::string body;
  v3::append_to_binary_payload(body, {packet_type::message, bin({1, 2, 3}), true});
  CHECK(body == bin({1, 4, 0xFF, 4, 1, 2, 3}));
}

TEST_CASE("engineio v3 binary payload writes each length digit as a raw byte", "[engineio][v3]") {
  const std::string data(122, 'x');  // 123 bytes with the type
  std::string body;
  v3::append_to_binary_payload(body, {packet_type::message, data, true});
  CHECK(body.substr(0, 5) == bin({1, 1, 2, 3, 0xFF}));
  CHECK(body.size() == 5 + 123);
}

TEST_CASE("engineio v3 binary payload counts text in UTF-8 bytes", "[engineio][v3]") {
  std::string body;
  v3::append_to_binary_payload(body, {packet_type::message, "\xF0\x9F\x98\x80"});
  CHECK(body == bin({0, 5, 0xFF}) + "4\xF0\x9F\x98\x80");
}

TEST_CASE("engineio v3 binary payload of no packets is empty", "[engineio][v3]") {
  CHECK(v3::encode_binary_payload({}).empty());
  auto none = v3::decode_binary_payload("");
  REQUIRE(none);
  CHECK(none->empty());
}

TEST_CASE("engineio v3 binary payload round-trips binary mixed with text", "[engineio][v3]") {
  std::string big(12345, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i % 256);
  const std::vector<packet> in{{packet_type::message, "2[\"a\"]", false},
                               {packet_type::message, big, true},
                               {packet_type::message, "caf\xC3\xA9", false},
                               {packet_type::message, "", true},
                               {packet_type::pong, "probe", false}};
  const std::string body = v3::encode_binary_payload(in);
  auto out = v3::decode_binary_payload(body);
  REQUIRE(out);
  REQUIRE(out->size() == in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    CHECK((*out)[i].type == in[i].type);
    CHECK((*out)[i].data == in[i].data);
    CHECK((*out)[i].binary == in[i].binary);
  }
}

TEST_CASE("engineio v3 binary payload decodes a base64 string packet", "[engineio][v3]") {
  auto out = v3::decode_binary_payload(bin({0, 6, 0xFF}) + "b4AQ==");
  REQUIRE(out);
  REQUIRE(out->size() == 1);
  CHECK((*out)[0].binary);
  CHECK((*out)[0].data == bin({1}));
}

TEST_CASE("engineio v3 binary payload with a bad marker is an error", "[engineio][v3]") {
  CHECK_FALSE(v3::decode_binary_payload(bin({2, 1, 0xFF, 4})));
  CHECK(v3::decode_binary_payload(bin({2, 1, 0xFF, 4})).error().message == "invalid packet marker");
}

TEST_CASE("engineio v3 binary payload with a malformed length is an error", "[engineio][v3]") {
  CHECK_FALSE(v3::decode_binary_payload(bin({0, 0xFF})));              // no digits
  CHECK_FALSE(v3::decode_binary_payload(bin({0, 2})));                 // no 0xFF
  CHECK_FALSE(v3::decode_binary_payload(bin({0, 10, 0xFF}) + "4"));    // not a digit
  CHECK_FALSE(v3::decode_binary_payload(bin({0, '2', 0xFF}) + "4a"));  // ASCII digit
  CHECK_FALSE(v3::decode_binary_payload(bin({0})));
  std::string many{'\x00'};
  many.append(25, '\x09');
  many += '\xFF';
  CHECK_FALSE(v3::decode_binary_payload(many));  // overflow
}

TEST_CASE("engineio v3 binary payload with a length past the body is an error", "[engineio][v3]") {
  CHECK_FALSE(v3::decode_binary_payload(bin({0, 6, 0xFF}) + "4hell"));
  CHECK_FALSE(v3::decode_binary_payload(bin({1, 9, 0xFF, 4, 1})));
}

TEST_CASE("engineio v3 binary payload with an empty or unknown packet is an error",
          "[engineio][v3]") {
  CHECK_FALSE(v3::decode_binary_payload(bin({0, 0, 0xFF})));
  CHECK_FALSE(v3::decode_binary_payload(bin({1, 0, 0xFF})));
  CHECK_FALSE(v3::decode_binary_payload(bin({0, 2, 0xFF}) + "9x"));
  CHECK_FALSE(v3::decode_binary_payload(bin({1, 2, 0xFF, 7, 1})));
}
