#include "protocol/socketio_packet.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "protocol/engineio_packet.hpp"

using namespace cafio::socketio;
using nlohmann::json;

namespace {

json bytes(std::string_view s) {
  return json::binary(std::vector<std::uint8_t>(s.begin(), s.end()));
}

// Decodes one text message with a fresh decoder; the packet must be complete.
packet decode_one(std::string_view text) {
  decoder d;
  auto r = d.decode_text(text);
  INFO(text);
  REQUIRE(r);
  REQUIRE(r->has_value());
  return std::move(**r);
}

std::string decode_error(std::string_view text, decoder_options options = {}) {
  decoder d{options};
  auto r = d.decode_text(text);
  INFO(text);
  REQUIRE_FALSE(r);
  return r.error().message;
}

// The WebSocket text frame carrying a Socket.IO text: Engine.IO message '4'.
std::string frame(const std::string& text) {
  return cafio::engineio::encode_text_frame({cafio::engineio::packet_type::message, text});
}

packet make(packet_type type, std::string nsp, std::optional<json> data,
            std::optional<std::uint64_t> id = std::nullopt) {
  packet p;
  p.type = type;
  p.nsp = std::move(nsp);
  p.data = std::move(data);
  p.id = id;
  return p;
}

}  // namespace

// --- encoding -------------------------------------------------------------

TEST_CASE("socketio encodes a connect to the main namespace", "[socketio][encode]") {
  CHECK(encode(make(packet_type::connect, "/", std::nullopt)).text == "0");
}

TEST_CASE("socketio encodes a connect with namespace and auth", "[socketio][encode]") {
  const auto e = encode(make(packet_type::connect, "/woot", json{{"token", "123"}}));
  CHECK(e.text == R"(0/woot,{"token":"123"})");
  CHECK(e.attachments.empty());
}

TEST_CASE("socketio encodes a disconnect from a namespace", "[socketio][encode]") {
  CHECK(encode(make(packet_type::disconnect, "/woot", std::nullopt)).text == "1/woot,");
}

TEST_CASE("socketio encodes an event", "[socketio][encode]") {
  CHECK(encode(make(packet_type::event, "/", json{"a", 1, json::object()})).text ==
        R"(2["a",1,{}])");
}

TEST_CASE("socketio encodes an event with an integer name", "[socketio][encode]") {
  CHECK(encode(make(packet_type::event, "/", json{1, "a", json::object()})).text ==
        R"(2[1,"a",{}])");
}

TEST_CASE("socketio encodes an event with namespace and ack id", "[socketio][encode]") {
  CHECK(encode(make(packet_type::event, "/test", json{"a", 1, json::object()}, 1)).text ==
        R"(2/test,1["a",1,{}])");
}

TEST_CASE("socketio encodes an ack", "[socketio][encode]") {
  CHECK(encode(make(packet_type::ack, "/", json{"a", 1, json::object()}, 123)).text ==
        R"(3123["a",1,{}])");
}

TEST_CASE("socketio encodes the official suite's event and ack replies", "[socketio][encode]") {
  const json args = json::parse(R"([1,"2",{"3":[true]}])");
  json event = json::array({"message-back"});
  event.insert(event.end(), args.begin(), args.end());
  CHECK(frame(encode(make(packet_type::event, "/", event)).text) ==
        R"(42["message-back",1,"2",{"3":[true]}])");
  CHECK(frame(encode(make(packet_type::ack, "/", json::parse(R"([1,"2",{"3":[false]}])"), 456))
                  .text) == R"(43456[1,"2",{"3":[false]}])");
  CHECK(frame(encode(make(packet_type::event, "/custom", json{"auth", {{"token", "abc"}}})).text) ==
        R"(42/custom,["auth",{"token":"abc"}])");
  CHECK(frame(encode(make(packet_type::connect_error, "/random",
                          json{{"message", "Invalid namespace"}}))
                  .text) == R"(44/random,{"message":"Invalid namespace"})");
}

TEST_CASE("socketio encodes a connect error as string or object", "[socketio][encode]") {
  CHECK(encode(make(packet_type::connect_error, "/", json("Unauthorized"))).text ==
        R"(4"Unauthorized")");
  CHECK(encode(make(packet_type::connect_error, "/", json{{"message", "Unauthorized"}})).text ==
        R"(4{"message":"Unauthorized"})");
}

TEST_CASE("socketio encodes a null payload as no payload", "[socketio][encode]") {
  CHECK(encode(make(packet_type::disconnect, "/", json(nullptr))).text == "1");
}

TEST_CASE("socketio encodes a binary event as the official suite expects", "[socketio][encode]") {
  const auto e = encode(
      make(packet_type::event, "/", json{"message-back", bytes("\x01\x02\x03"), bytes("\x04")}));
  CHECK(frame(e.text) ==
        R"(452-["message-back",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])");
  CHECK(e.attachments == std::vector<std::string>{"\x01\x02\x03", "\x04"});
}

TEST_CASE("socketio encodes a binary ack as the official suite expects", "[socketio][encode]") {
  const auto e =
      encode(make(packet_type::ack, "/", json{bytes(std::string{"\x00", 1}), bytes("\xFF")}, 789));
  CHECK(frame(e.text) == R"(462-789[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])");
  CHECK(e.attachments == std::vector<std::string>{std::string{"\x00", 1}, "\xFF"});
}

TEST_CASE("socketio encodes nested binaries depth first", "[socketio][encode]") {
  const json data = {"a", {{"b", {"c", bytes("abc")}}, {"d", bytes("xyz")}}, bytes("last")};
  const auto e = encode(make(packet_type::event, "/cool", data, 23));
  CHECK(e.text == R"(53-/cool,23["a",{"b":["c",{"_placeholder":true,"num":0}],)"
                  R"("d":{"_placeholder":true,"num":1}},{"_placeholder":true,"num":2}])");
  CHECK(e.attachments == std::vector<std::string>{"abc", "xyz", "last"});
}

TEST_CASE("socketio encodes an explicit binary event without binary as 0 attachments",
          "[socketio][encode]") {
  const auto e = encode(make(packet_type::binary_event, "/", json{"a"}));
  CHECK(e.text == R"(50-["a"])");
  CHECK(e.attachments.empty());
}

TEST_CASE("socketio json text is JSON.stringify's", "[socketio][json]") {
  CHECK(to_json_text(json::parse(R"({ "b" : [1, 2.5, true, null], "a" : "x" })")) ==
        R"({"a":"x","b":[1,2.5,true,null]})");
  CHECK(to_json_text(json("caf\xC3\xA9 \xF0\x9F\x98\x80")) == "\"caf\xC3\xA9 \xF0\x9F\x98\x80\"");
  CHECK(to_json_text(json("q\"b\\s/\b\f\n\r\t\x01\x1f\x7f")) == R"("q\"b\\s/\b\f\n\r\t\u0001\u001f)"
                                                                "\x7f\"");
}

TEST_CASE("socketio json text keeps integers as integers", "[socketio][json]") {
  CHECK(to_json_text(json(42)) == "42");
  CHECK(to_json_text(json(-7)) == "-7");
  CHECK(to_json_text(json(9007199254740993ULL)) == "9007199254740993");
  CHECK(to_json_text(json(18446744073709551615ULL)) == "18446744073709551615");
  CHECK(to_json_text(json::parse("[123456789012, -1]")) == "[123456789012,-1]");
}

TEST_CASE("socketio json text writes floats as JavaScript numbers", "[socketio][json]") {
  CHECK(to_json_text(json(1.0)) == "1");
  CHECK(to_json_text(json(-0.0)) == "0");
  CHECK(to_json_text(json(0.1)) == "0.1");
  CHECK(to_json_text(json(-2.5)) == "-2.5");
  CHECK(to_json_text(json(100.0)) == "100");
  CHECK(to_json_text(json(1e21)) == "1e+21");
  CHECK(to_json_text(json(1e20)) == "100000000000000000000");
  CHECK(to_json_text(json(1.5e-7)) == "1.5e-7");
  CHECK(to_json_text(json(0.000001)) == "0.000001");
  CHECK(to_json_text(json(123.456)) == "123.456");
  CHECK(to_json_text(json(1.7976931348623157e308)) == "1.7976931348623157e+308");
  CHECK(to_json_text(json(5e-324)) == "5e-324");
  CHECK(to_json_text(json(std::numeric_limits<double>::infinity())) == "null");
  CHECK(to_json_text(json(std::numeric_limits<double>::quiet_NaN())) == "null");
}

TEST_CASE("socketio json text replaces ill-formed UTF-8", "[socketio][json]") {
  CHECK(to_json_text(json("a\xFF"
                          "b")) ==
        "\"a\xEF\xBF\xBD"
        "b\"");
}

TEST_CASE("socketio json text writes binary as a Node Buffer", "[socketio][json]") {
  CHECK(to_json_text(bytes("\x01\xFF")) == R"({"type":"Buffer","data":[1,255]})");
}

TEST_CASE("socketio has_binary finds binary at any depth", "[socketio][json]") {
  CHECK_FALSE(has_binary(json{"a", 1, {{"b", {1, 2}}}}));
  CHECK(has_binary(bytes("x")));
  CHECK(has_binary(json{"a", {{"b", {1, bytes("x")}}}}));
}

TEST_CASE("socketio reserved event names", "[socketio]") {
  for (auto name : {"connect", "connect_error", "disconnect", "disconnecting", "newListener",
                    "removeListener"}) {
    CHECK(is_reserved_event_name(name));
  }
  CHECK_FALSE(is_reserved_event_name("message"));
  CHECK_FALSE(is_reserved_event_name("Connect"));
  CHECK_FALSE(is_reserved_event_name(""));
}

// --- decoding -------------------------------------------------------------

TEST_CASE("socketio decodes a connect to the main namespace", "[socketio][decode]") {
  const auto p = decode_one("0");
  CHECK(p.type == packet_type::connect);
  CHECK(p.nsp == "/");
  CHECK_FALSE(p.id);
  CHECK_FALSE(p.data);
}

TEST_CASE("socketio decodes a namespace ended by a comma", "[socketio][decode]") {
  const auto p = decode_one("0/custom,");  // frame "40/custom," without Engine.IO's '4'
  CHECK(p.type == packet_type::connect);
  CHECK(p.nsp == "/custom");
  CHECK_FALSE(p.data);
}

TEST_CASE("socketio decodes a namespace ended by the end of the text", "[socketio][decode]") {
  const auto p = decode_one("0/random");
  CHECK(p.nsp == "/random");
  CHECK_FALSE(p.data);
  CHECK(decode_one("1/admin").type == packet_type::disconnect);
}

TEST_CASE("socketio decodes a namespace with a payload", "[socketio][decode]") {
  const auto p = decode_one(R"(0/custom,{"token":"abc"})");
  CHECK(p.nsp == "/custom");
  REQUIRE(p.data);
  CHECK(*p.data == json{{"token", "abc"}});
}

TEST_CASE("socketio decodes an event", "[socketio][decode]") {
  const auto p = decode_one(R"(2["message","hello"])");
  CHECK(p.type == packet_type::event);
  CHECK(p.nsp == "/");
  CHECK_FALSE(p.id);
  CHECK(*p.data == json{"message", "hello"});
}

TEST_CASE("socketio decodes an event with an ack id", "[socketio][decode]") {
  const auto p = decode_one(R"(2/admin,12["message-with-ack",1,"2"])");
  CHECK(p.nsp == "/admin");
  CHECK(p.id == 12u);
  CHECK(*p.data == json{"message-with-ack", 1, "2"});
}

TEST_CASE("socketio decodes an ack", "[socketio][decode]") {
  const auto p = decode_one(R"(3456[1,"2"])");
  CHECK(p.type == packet_type::ack);
  CHECK(p.id == 456u);
  CHECK(*p.data == json{1, "2"});
}

TEST_CASE("socketio decodes the largest ack id", "[socketio][decode]") {
  CHECK(decode_one("318446744073709551615[]").id == 18446744073709551615ULL);
}

TEST_CASE("socketio ack id overflow is an error", "[socketio][decode]") {
  CHECK(decode_error("318446744073709551616[]") == "invalid ack id");
}

TEST_CASE("socketio decodes numeric event names", "[socketio][decode]") {
  CHECK(*decode_one(R"(2[1,"a"])").data == json{1, "a"});
  CHECK(*decode_one(R"(2[1.5])").data == json{1.5});
}

TEST_CASE("socketio decodes a connect error as string or object", "[socketio][decode]") {
  CHECK(*decode_one(R"(4"Unauthorized")").data == "Unauthorized");
  CHECK(*decode_one(R"(4{"message":"no"})").data == json{{"message", "no"}});
}

TEST_CASE("socketio decoding keeps integers integers", "[socketio][decode]") {
  const auto p = decode_one(R"(2["n",1,-2,12345678901234,1.5])");
  const json& d = *p.data;
  CHECK(d[1].is_number_integer());
  CHECK(d[2].is_number_integer());
  CHECK(d[3].is_number_integer());
  CHECK(d[4].is_number_float());
  CHECK(to_json_text(d) == R"(["n",1,-2,12345678901234,1.5])");
}

TEST_CASE("socketio decoding preserves UTF-8 strings", "[socketio][decode]") {
  const std::string text = "2[\"caf\xC3\xA9\",\"\xE2\x82\xAC \xF0\x9F\x98\x80\",\"\\u00e9\"]";
  const auto p = decode_one(text);
  CHECK((*p.data)[0] == "caf\xC3\xA9");
  CHECK((*p.data)[1] == "\xE2\x82\xAC \xF0\x9F\x98\x80");
  CHECK((*p.data)[2] == "\xC3\xA9");
  CHECK(encode(p).text == "2[\"caf\xC3\xA9\",\"\xE2\x82\xAC \xF0\x9F\x98\x80\",\"\xC3\xA9\"]");
}

TEST_CASE("socketio text encoding round-trips", "[socketio][decode]") {
  for (const char* text :
       {"0", "0/admin,", R"(0/admin,{"token":"x"})", "1/admin,", R"(2["a",{"b":[1,2,{"c":null}]}])",
        R"(2/nsp,42["a"])", R"(342[])", R"(4"nope")"}) {
    INFO(text);
    CHECK(encode(decode_one(text)).text == text);
  }
}

TEST_CASE("socketio unknown packet type is an error", "[socketio][decode]") {
  CHECK(decode_error("") == "unknown packet type");
  CHECK(decode_error("7") == "unknown packet type");
  CHECK(decode_error("999") == "unknown packet type");
  // "4abc" as the official suite sends it reaches us as "abc".
  CHECK(decode_error("abc") == "unknown packet type");
}

TEST_CASE("socketio event payload that is not an array is an error", "[socketio][decode]") {
  CHECK(decode_error("2{}") == "invalid payload");
  CHECK(decode_error("2/admin,{}") == "invalid payload");
  CHECK(decode_error(R"(2/admin,"invalid)") == "invalid payload");
}

TEST_CASE("socketio ack id that is not digits makes the payload invalid", "[socketio][decode]") {
  CHECK(decode_error(R"(2abc["message-with-ack",1])") == "invalid payload");
}

TEST_CASE("socketio invalid JSON is an error", "[socketio][decode]") {
  CHECK(decode_error(R"(442["some","data")") == "invalid payload");
  CHECK(decode_error(R"(2["a"] x)") == "invalid payload");
  CHECK(decode_error("2,[\"a\"]") == "invalid payload");
}

TEST_CASE("socketio event without a payload is an error", "[socketio][decode]") {
  CHECK(decode_error("2") == "invalid payload");
  CHECK(decode_error("2/admin,") == "invalid payload");
  CHECK(decode_error("312") == "invalid payload");
}

TEST_CASE("socketio event with an empty array is an error", "[socketio][decode]") {
  CHECK(decode_error("2[]") == "invalid payload");
}

TEST_CASE("socketio event name must be a string or number", "[socketio][decode]") {
  CHECK(decode_error(R"(2[{"toString":"foo"}])") == "invalid payload");
  CHECK(decode_error(R"(2[true,"foo"])") == "invalid payload");
  CHECK(decode_error(R"(2[null,"bar"])") == "invalid payload");
  CHECK(decode_error(R"(2[["a"]])") == "invalid payload");
}

TEST_CASE("socketio reserved event names are rejected", "[socketio][decode]") {
  CHECK(decode_error(R"(2["connect"])") == "invalid payload");
  CHECK(decode_error(R"(2["disconnect","123"])") == "invalid payload");
  CHECK(decode_error(R"(2["disconnecting"])") == "invalid payload");
  CHECK(decode_error(R"(2["connect_error"])") == "invalid payload");
  CHECK(decode_error(R"(2["newListener"])") == "invalid payload");
  CHECK(decode_error(R"(52-["removeListener"])") == "invalid payload");
}

TEST_CASE("socketio connect payload must be an object", "[socketio][decode]") {
  CHECK(decode_error(R"(0/admin,"invalid")") == "invalid payload");
  CHECK(decode_error("0[]") == "invalid payload");
}

TEST_CASE("socketio disconnect must have no payload", "[socketio][decode]") {
  CHECK(decode_error("1/admin,{}") == "invalid payload");
  CHECK(decode_error("1\"bye\"") == "invalid payload");
}

TEST_CASE("socketio connect error must be a string or an object", "[socketio][decode]") {
  CHECK(decode_error("4[]") == "invalid payload");
  CHECK(decode_error("41") == "invalid payload");  // ack id 1, no payload
}

TEST_CASE("socketio ack payload must be an array", "[socketio][decode]") {
  CHECK(decode_error(R"(31{"a":1})") == "invalid payload");
  CHECK(decode_error(R"(61-1"x")") == "invalid payload");
}

TEST_CASE("socketio illegal attachment counts are errors", "[socketio][decode]") {
  CHECK(decode_error("5") == "illegal attachments");
  CHECK(decode_error("51") == "illegal attachments");
  CHECK(decode_error("5a-") == "illegal attachments");
  CHECK(decode_error("51.23-") == "illegal attachments");
  CHECK(decode_error("5-[\"a\"]") == "illegal attachments");
  CHECK(decode_error("6/admin,1-[]") == "illegal attachments");
}

TEST_CASE("socketio too many attachments is an error", "[socketio][decode]") {
  CHECK(decode_error(R"(511-["a"])") == "too many attachments");
  CHECK(decode_error(R"(599999999999999999999999-["a"])") == "too many attachments");
  decoder_options two;
  two.max_attachments = 2;
  CHECK(decode_error(R"(53-["hello",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1},)"
                     R"({"_placeholder":true,"num":2}])",
                     two) == "too many attachments");
}

TEST_CASE("socketio allows as many attachments as the limit", "[socketio][decode]") {
  decoder d;
  auto r = d.decode_text(R"(510-["a"])");
  REQUIRE(r);
  CHECK_FALSE(r->has_value());
  CHECK(d.awaiting_attachments());
}

TEST_CASE("socketio payload nested too deep is an error", "[socketio][decode]") {
  const std::string deep = "2[\"a\"," + std::string(1000, '[') + std::string(1000, ']') + "]";
  CHECK(decode_error(deep) == "invalid payload");
  const std::string ok = "2[\"a\"," + std::string(998, '[') + std::string(998, ']') + "]";
  CHECK(decode_one(ok).type == packet_type::event);
  // Brackets inside strings do not count.
  const std::string quoted = "2[\"a\",\"" + std::string(5000, '[') + "\"]";
  CHECK(decode_one(quoted).type == packet_type::event);
}

// --- binary reassembly ----------------------------------------------------

TEST_CASE("socketio binary event waits for its attachments", "[socketio][binary]") {
  decoder d;
  auto head = d.decode_text(
      R"(52-["message-back",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])");
  REQUIRE(head);
  CHECK_FALSE(head->has_value());
  CHECK(d.awaiting_attachments());
  auto first = d.decode_binary("\x01\x02");
  REQUIRE(first);
  CHECK_FALSE(first->has_value());
  auto last = d.decode_binary(std::string{"\x00\xFF", 2});
  REQUIRE(last);
  REQUIRE(last->has_value());
  CHECK_FALSE(d.awaiting_attachments());
  const packet& p = **last;
  CHECK(p.type == packet_type::event);  // reported as socket.io-parser reports it
  CHECK(*p.data == json{"message-back", bytes("\x01\x02"), bytes(std::string{"\x00\xFF", 2})});
}

TEST_CASE("socketio binary ack keeps namespace and id", "[socketio][binary]") {
  decoder d;
  REQUIRE(d.decode_text(R"(61-/admin,789[{"_placeholder":true,"num":0}])"));
  auto r = d.decode_binary("xyz");
  REQUIRE(r);
  REQUIRE(r->has_value());
  CHECK((*r)->type == packet_type::ack);
  CHECK((*r)->nsp == "/admin");
  CHECK((*r)->id == 789u);
  CHECK(*(*r)->data == json{bytes("xyz")});
}

TEST_CASE("socketio binary event with 0 attachments is complete at once", "[socketio][binary]") {
  decoder d;
  auto r = d.decode_text(R"(50-["a",1])");
  REQUIRE(r);
  REQUIRE(r->has_value());
  CHECK((*r)->type == packet_type::event);
  CHECK(*(*r)->data == json{"a", 1});
  CHECK_FALSE(d.awaiting_attachments());
  CHECK(d.decode_text(R"(2["next"])"));
}

TEST_CASE("socketio binary round-trips with nested binaries", "[socketio][binary]") {
  const json data = {"upload",
                     {{"files", {bytes("one"), {{"inner", bytes("two")}}}}},
                     bytes(std::string(70000, '\x7f'))};
  const auto e = encode(make(packet_type::event, "/files", data, 5));
  REQUIRE(e.attachments.size() == 3);
  decoder d;
  auto r = d.decode_text(e.text);
  REQUIRE(r);
  for (std::size_t i = 0; i < e.attachments.size(); ++i) {
    r = d.decode_binary(e.attachments[i]);
    REQUIRE(r);
    CHECK(r->has_value() == (i + 1 == e.attachments.size()));
  }
  const packet& p = **r;
  CHECK(p.type == packet_type::event);
  CHECK(p.nsp == "/files");
  CHECK(p.id == 5u);
  CHECK(*p.data == data);
  // Re-encoding yields the same frames.
  const auto again = encode(p);
  CHECK(again.text == e.text);
  CHECK(again.attachments == e.attachments);
}

TEST_CASE("socketio one attachment may fill several placeholders", "[socketio][binary]") {
  decoder d;
  REQUIRE(d.decode_text(R"(51-["a",{"_placeholder":true,"num":0},{"_placeholder":true,"num":0}])"));
  auto r = d.decode_binary("x");
  REQUIRE(r);
  CHECK(*(*r)->data == json{"a", bytes("x"), bytes("x")});
}

TEST_CASE("socketio placeholder num out of range is an error", "[socketio][binary]") {
  decoder d;
  REQUIRE(d.decode_text(R"(51-["hello",{"_placeholder":true,"num":1}])"));
  auto r = d.decode_binary("world");
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "illegal attachments");
  CHECK_FALSE(d.awaiting_attachments());
}

TEST_CASE("socketio placeholder num that is not an integer is an error", "[socketio][binary]") {
  for (const char* text : {R"(51-["hello",{"_placeholder":true,"num":"splice"}])",
                           R"(51-["hello",{"_placeholder":true,"num":-1}])",
                           R"(51-["hello",{"_placeholder":true,"num":0.5}])",
                           R"(51-["hello",{"_placeholder":true}])"}) {
    INFO(text);
    decoder d;
    REQUIRE(d.decode_text(text));
    auto r = d.decode_binary("world");
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "illegal attachments");
  }
}

TEST_CASE("socketio object without a true _placeholder stays an object", "[socketio][binary]") {
  decoder d;
  REQUIRE(
      d.decode_text(R"(51-["a",{"_placeholder":"true","num":0},{"_placeholder":true,"num":0}])"));
  auto r = d.decode_binary("x");
  REQUIRE(r);
  CHECK(*(*r)->data == json{"a", {{"_placeholder", "true"}, {"num", 0}}, bytes("x")});
}

TEST_CASE("socketio binary message when none is expected is an error", "[socketio][binary]") {
  decoder d;
  auto r = d.decode_binary("world");
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "got binary data when not reconstructing a packet");
}

TEST_CASE("socketio text message while attachments are pending is an error", "[socketio][binary]") {
  decoder d;
  REQUIRE(d.decode_text(R"(51-["hello",{"_placeholder":true,"num":0}])"));
  auto r = d.decode_text(R"(2["hello"])");
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "got plaintext data when reconstructing a packet");
  CHECK(d.awaiting_attachments());
}

TEST_CASE("socketio decoder continues after a complete binary packet", "[socketio][binary]") {
  decoder d;
  REQUIRE(d.decode_text(R"(51-["a",{"_placeholder":true,"num":0}])"));
  REQUIRE(d.decode_binary("x"));
  auto r = d.decode_text(R"(2["b"])");
  REQUIRE(r);
  REQUIRE(r->has_value());
  CHECK(*(*r)->data == json{"b"});
}
