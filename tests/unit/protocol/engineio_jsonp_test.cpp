#include "protocol/engineio_jsonp.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "protocol/engineio_payload_v3.hpp"

namespace jsonp = cafio::engineio::jsonp;
namespace v3 = cafio::engineio::v3;
using cafio::engineio::packet;
using cafio::engineio::packet_type;

TEST_CASE("jsonp callback index keeps the digits of j only", "[engineio][jsonp]") {
  CHECK(jsonp::callback_index("0") == "0");
  CHECK(jsonp::callback_index("12") == "12");
  CHECK(jsonp::callback_index("a1b2") == "12");
  CHECK(jsonp::callback_index("\");alert(1);//") == "1");
  CHECK(jsonp::callback_index("") == "");
}

TEST_CASE("jsonp response calls ___eio[index] with the payload as a string", "[engineio][jsonp]") {
  CHECK(jsonp::encode_response("3", "1:3") == R"(___eio[3]("1:3");)");
  CHECK(jsonp::encode_response("", "0:") == R"(___eio[]("0:");)");
}

TEST_CASE("jsonp response escapes as JSON.stringify", "[engineio][jsonp]") {
  // quotes, backslashes, control characters; "/" and non-ASCII are kept.
  CHECK(jsonp::encode_response("0", "13:42[\"a\\\\b\"]") == R"(___eio[0]("13:42[\"a\\\\b\"]");)");
  CHECK(jsonp::encode_response("0", "x\ny\tz\x01") == R"(___eio[0]("x\ny\tz\u0001");)");
  CHECK(jsonp::encode_response("0", "</script>caf\xC3\xA9\xF0\x9F\x98\x80") ==
        "___eio[0](\"</script>caf\xC3\xA9\xF0\x9F\x98\x80\");");
}

TEST_CASE("jsonp response escapes U+2028 and U+2029 for JavaScript", "[engineio][jsonp]") {
  CHECK(jsonp::encode_response("1",
                               "a\xE2\x80\xA8"
                               "b\xE2\x80\xA9"
                               "c") == R"(___eio[1]("a\u2028b\u2029c");)");
  // Other characters of the same lead bytes stay as they are.
  CHECK(jsonp::encode_response("1", "\xE2\x80\xA6") == "___eio[1](\"\xE2\x80\xA6\");");
}

TEST_CASE("jsonp response wraps a v3 payload with UTF-16 lengths and base64 binary",
          "[engineio][jsonp]") {
  const std::vector<packet> packets{{packet_type::message, "2[\"\xF0\x9F\x98\x80\"]", false},
                                    {packet_type::message, "\x01\x02", true}};
  CHECK(jsonp::encode_response("0", v3::encode_text_payload(packets)) ==
        "___eio[0](\"8:42[\\\"\xF0\x9F\x98\x80\\\"]6:b4AQI=\");");
}

TEST_CASE("jsonp unescape: backslash-n is a newline, double backslash-n a backslash-n",
          "[engineio][jsonp]") {
  CHECK(jsonp::unescape_newlines("a\\nb") == "a\nb");
  CHECK(jsonp::unescape_newlines("a\\\\nb") == "a\\nb");
  CHECK(jsonp::unescape_newlines("\\\\\\n") == "\\\\n");  // \\\n: the last three stay, then \\n→\n
  CHECK(jsonp::unescape_newlines("no escapes \\t \\") == "no escapes \\t \\");
  CHECK(jsonp::unescape_newlines("") == "");
}

TEST_CASE("jsonp unescape undoes engine.io-client's escaping", "[engineio][jsonp]") {
  // engine.io-client 3 (polling-jsonp doWrite): "\n" (backslash, n) becomes
  // backslash + newline, then every newline becomes "\n".
  auto client_escape = [](std::string s) {
    std::string step;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == 'n') {
        step += "\\\n";
        ++i;
      } else {
        step += s[i];
      }
    }
    std::string out;
    for (char c : step) out += c == '\n' ? std::string("\\n") : std::string(1, c);
    return out;
  };
  for (std::string original :
       {"26:42[\"message\",\"a\\nb\"]", "line\nbreak", "x\\\\ny\n\\n", "plain", "\\\\\\n\n"}) {
    CHECK(jsonp::unescape_newlines(client_escape(original)) == original);
  }
}

TEST_CASE("jsonp POST body: the form field d, decoded and unescaped", "[engineio][jsonp]") {
  auto d = jsonp::decode_post("d=1%3A2");
  REQUIRE(d);
  CHECK(*d == "1:2");
  CHECK(*jsonp::decode_post("x=5&d=a+b%20c&e=") == "a b c");
  CHECK(*jsonp::decode_post("d=a%5Cnb") == "a\nb");
  CHECK(*jsonp::decode_post("d=") == "");
  CHECK(*jsonp::decode_post("d") == "");
  CHECK(*jsonp::decode_post("d=caf%C3%A9") == "caf\xC3\xA9");
}

TEST_CASE("jsonp POST body without d or with d twice carries nothing", "[engineio][jsonp]") {
  CHECK_FALSE(jsonp::decode_post(""));
  CHECK_FALSE(jsonp::decode_post("x=1"));
  CHECK_FALSE(jsonp::decode_post("d=1:2&d=1:2"));
  CHECK_FALSE(jsonp::decode_post("dd=1:2"));
}
