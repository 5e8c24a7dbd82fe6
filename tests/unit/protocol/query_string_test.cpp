#include "protocol/query_string.hpp"

#include <catch2/catch.hpp>

using cafio::find_param;
using cafio::parse_query;
using cafio::query_params;
using cafio::url_decode;

TEST_CASE("query string splits pairs on & and =", "[query]") {
  CHECK(parse_query("EIO=4&transport=polling&t=N8hyd6w") ==
        query_params{{"EIO", "4"}, {"transport", "polling"}, {"t", "N8hyd6w"}});
}

TEST_CASE("query string key without = has an empty value", "[query]") {
  CHECK(parse_query("b64&x=1") == query_params{{"b64", ""}, {"x", "1"}});
  CHECK(parse_query("a=") == query_params{{"a", ""}});
}

TEST_CASE("query string separates at the first = only", "[query]") {
  CHECK(parse_query("token=a=b==") == query_params{{"token", "a=b=="}});
  CHECK(parse_query("=x") == query_params{{"", "x"}});
}

TEST_CASE("query string skips empty pieces", "[query]") {
  CHECK(parse_query("").empty());
  CHECK(parse_query("&&").empty());
  CHECK(parse_query("&a=1&&b=2&") == query_params{{"a", "1"}, {"b", "2"}});
}

TEST_CASE("query string keeps repeated keys in order", "[query]") {
  const auto params = parse_query("a=1&a=2");
  CHECK(params == query_params{{"a", "1"}, {"a", "2"}});
  CHECK(find_param(params, "a") == std::string{"1"});
}

TEST_CASE("query string decodes + and percent escapes in keys and values", "[query]") {
  CHECK(parse_query("my+key=hello+world%21&caf%C3%A9=%E2%82%AC") ==
        query_params{{"my key", "hello world!"}, {"caf\xC3\xA9", "\xE2\x82\xAC"}});
  CHECK(parse_query("a=%2B%26%3D") == query_params{{"a", "+&="}});
}

TEST_CASE("query string keeps malformed escapes literally", "[query]") {
  CHECK(url_decode("100%") == "100%");
  CHECK(url_decode("%zz%41") == "%zzA");
  CHECK(url_decode("%4") == "%4");
  CHECK(url_decode("%4z") == "%4z");
  CHECK(url_decode("%%41") == "%A");
}

TEST_CASE("query string decodes escapes of ill-formed UTF-8 to U+FFFD", "[query]") {
  CHECK(url_decode("a%FFb") ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(url_decode("%E2%82") == "\xEF\xBF\xBD");
}

TEST_CASE("query string find_param returns nothing for a missing key", "[query]") {
  const auto params = parse_query("sid=abc&EIO=3");
  CHECK(find_param(params, "sid") == std::string{"abc"});
  CHECK(find_param(params, "EIO") == std::string{"3"});
  CHECK_FALSE(find_param(params, "transport"));
}

TEST_CASE("query string reads at most 1000 pieces, as Node does", "[query]") {
  std::string query;
  for (int i = 0; i < 1500; ++i) query += "k" + std::to_string(i) + "=v&";
  const auto params = parse_query(query);
  CHECK(params.size() == 1000);
  CHECK(params.back().first == "k999");
}
