#include "protocol/base64.hpp"

#include <string>

#include <catch2/catch.hpp>

using cafio::base64_decode;
using cafio::base64_encode;
using cafio::base64_encode_append;

TEST_CASE("base64 encodes the RFC 4648 test vectors", "[base64]") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode("fooba") == "Zm9vYmE=");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("base64 decodes the RFC 4648 test vectors", "[base64]") {
  CHECK(base64_decode("") == std::string{});
  CHECK(base64_decode("Zg==") == std::string{"f"});
  CHECK(base64_decode("Zm8=") == std::string{"fo"});
  CHECK(base64_decode("Zm9v") == std::string{"foo"});
  CHECK(base64_decode("Zm9vYg==") == std::string{"foob"});
  CHECK(base64_decode("Zm9vYmE=") == std::string{"fooba"});
  CHECK(base64_decode("Zm9vYmFy") == std::string{"foobar"});
}

TEST_CASE("base64 appends to what the buffer already holds", "[base64]") {
  std::string out = "b";
  base64_encode_append(out, std::string{"\x01\x02\x03", 3});
  CHECK(out == "bAQID");
}

TEST_CASE("base64 round-trips every byte value", "[base64]") {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  const auto encoded = base64_encode(bytes);
  CHECK(encoded.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") ==
        std::string::npos);
  CHECK(base64_decode(encoded) == bytes);
}

TEST_CASE("base64 round-trips a big payload", "[base64]") {
  std::string bytes(1'000'003, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 31 + 7) % 256);
  const auto encoded = base64_encode(bytes);
  CHECK(encoded.size() == (bytes.size() + 2) / 3 * 4);
  CHECK(base64_decode(encoded) == bytes);
}

TEST_CASE("base64 rejects a length that is not a multiple of 4", "[base64]") {
  CHECK_FALSE(base64_decode("Zg"));
  CHECK_FALSE(base64_decode("Zg="));
  CHECK_FALSE(base64_decode("Zm9vY"));
}

TEST_CASE("base64 rejects characters outside the alphabet", "[base64]") {
  CHECK_FALSE(base64_decode("Zm9*"));
  CHECK_FALSE(base64_decode("Zm9v\nYmFy"));
  CHECK_FALSE(base64_decode("Zm-_"));  // base64url is not base64
  CHECK_FALSE(base64_decode(std::string{"Zm9\0", 4}));
  CHECK_FALSE(base64_decode("Zm\xC3\xA9"));
}

TEST_CASE("base64 rejects misplaced padding", "[base64]") {
  CHECK_FALSE(base64_decode("===="));
  CHECK_FALSE(base64_decode("Z==="));
  CHECK_FALSE(base64_decode("Zg=a"));
  CHECK_FALSE(base64_decode("Zg==Zm8="));
  CHECK_FALSE(base64_decode("=m9v"));
}
