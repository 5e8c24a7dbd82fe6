#include "protocol/utf8.hpp"

#include <string>

#include <catch2/catch.hpp>

using cafio::append_utf8_replacing_invalid;
using cafio::is_valid_utf8;
using cafio::next_utf8_sequence;
using cafio::utf16_length;

TEST_CASE("utf8 accepts well-formed text of every sequence length", "[utf8]") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("ascii"));
  CHECK(is_valid_utf8("caf\xC3\xA9"));       // é
  CHECK(is_valid_utf8("\xE2\x82\xAC"));      // €
  CHECK(is_valid_utf8("\xF0\x9F\x98\x80"));  // 😀
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST_CASE("utf8 rejects overlongs, surrogates and code points above U+10FFFF", "[utf8]") {
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));
  CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));  // U+D800
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));
  CHECK_FALSE(is_valid_utf8("\xFF"));
  CHECK_FALSE(is_valid_utf8("\x80"));
  CHECK_FALSE(is_valid_utf8("\xE2\x82"));  // truncated
}

TEST_CASE("utf8 spans an ill-formed sequence by its maximal subpart", "[utf8]") {
  CHECK(next_utf8_sequence("\xE2\x82x").size == 2);
  CHECK_FALSE(next_utf8_sequence("\xE2\x82x").valid);
  CHECK(next_utf8_sequence("\xF0\x9F\x98").size == 3);
  CHECK(next_utf8_sequence("\xC3x").size == 1);
  CHECK(next_utf8_sequence("\xF0\x9F\x98\x80").size == 4);
  CHECK(next_utf8_sequence("\xF0\x9F\x98\x80").valid);
}

TEST_CASE("utf8 replaces each ill-formed sequence by one U+FFFD", "[utf8]") {
  std::string out;
  append_utf8_replacing_invalid(out,
                                "a\xE2\x82"
                                "b\xFF"
                                "c\xC3\xA9");
  CHECK(out ==
        "a\xEF\xBF\xBD"
        "b\xEF\xBF\xBD"
        "c\xC3\xA9");
}

TEST_CASE("utf16 length counts characters above U+FFFF twice", "[utf8]") {
  CHECK(utf16_length("") == 0);
  CHECK(utf16_length("hello") == 5);
  CHECK(utf16_length("\xC3\xA9") == 1);
  CHECK(utf16_length("\xE2\x82\xAC") == 1);
  CHECK(utf16_length("\xF0\x9F\x98\x80") == 2);
  CHECK(utf16_length("a\xF0\x9F\x98\x80"
                     "b") == 4);
  CHECK(utf16_length("\xFF\xFE") == 2);  // each ill-formed byte is one U+FFFD
}
