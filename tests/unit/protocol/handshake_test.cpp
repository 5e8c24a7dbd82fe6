#include "protocol/engineio_handshake.hpp"

#include <catch2/catch.hpp>

using namespace cafio::engineio;

TEST_CASE("handshake open packet lists keys in engine.io's order", "[engineio][handshake]") {
  handshake_data h;
  h.sid = "lv_VI97HAXpY6yYWAAAC";
  h.upgrades = {"websocket"};
  CHECK(open_packet_json(h) ==
        R"({"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,)"
        R"("pingTimeout":20000,"maxPayload":1000000})");
}

TEST_CASE("handshake open packet over websocket offers no upgrades", "[engineio][handshake]") {
  handshake_data h;
  h.sid = "abc";
  h.ping_interval_ms = 300;
  h.ping_timeout_ms = 200;
  h.max_payload = 1e8;
  CHECK(open_packet_json(h) == R"({"sid":"abc","upgrades":[],"pingInterval":300,"pingTimeout":200,)"
                               R"("maxPayload":100000000})");
}

TEST_CASE("handshake open packet of v3 omits maxPayload", "[engineio][handshake]") {
  handshake_data h;
  h.sid = "abc";
  h.upgrades = {"websocket"};
  h.include_max_payload = false;
  CHECK(open_packet_json(h) ==
        R"({"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000})");
}

TEST_CASE("handshake open packet escapes the sid as JSON", "[engineio][handshake]") {
  handshake_data h;
  h.sid = "a\"b\\c";
  h.upgrades = {"websocket", "webtransport"};
  CHECK(open_packet_json(h) ==
        R"({"sid":"a\"b\\c","upgrades":["websocket","webtransport"],"pingInterval":25000,)"
        R"("pingTimeout":20000,"maxPayload":1000000})");
}

TEST_CASE("handshake error messages are the reference server's", "[engineio][handshake]") {
  CHECK(error_message(error_code::unknown_transport) == "Transport unknown");
  CHECK(error_message(error_code::unknown_sid) == "Session ID unknown");
  CHECK(error_message(error_code::bad_handshake_method) == "Bad handshake method");
  CHECK(error_message(error_code::bad_request) == "Bad request");
  CHECK(error_message(error_code::forbidden) == "Forbidden");
  CHECK(error_message(error_code::unsupported_protocol_version) == "Unsupported protocol version");
}

TEST_CASE("handshake error bodies are code and message JSON", "[engineio][handshake]") {
  CHECK(error_body(error_code::unknown_transport) == R"({"code":0,"message":"Transport unknown"})");
  CHECK(error_body(error_code::unknown_sid) == R"({"code":1,"message":"Session ID unknown"})");
  CHECK(error_body(error_code::bad_handshake_method) ==
        R"({"code":2,"message":"Bad handshake method"})");
  CHECK(error_body(error_code::bad_request) == R"({"code":3,"message":"Bad request"})");
  CHECK(error_body(error_code::forbidden) == R"({"code":4,"message":"Forbidden"})");
  CHECK(error_body(error_code::unsupported_protocol_version) ==
        R"({"code":5,"message":"Unsupported protocol version"})");
}
