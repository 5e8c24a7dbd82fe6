// The Accept-Encoding choice (as npm negotiator's, which engine.io uses) and
// the gzip/deflate bodies, inflated back with zlib.
#include "transport/http_compression.hpp"

#include <zlib.h>

#include <catch2/catch.hpp>
#include <optional>
#include <string>

using cafio::transport::choose_coding;
using cafio::transport::compress_body;
using cafio::transport::content_coding;

namespace {

/// Inflates a gzip (windowBits 15 + 16) or zlib (15) body; nullopt on error.
std::optional<std::string> inflate_body(const std::string& body, int window_bits) {
  z_stream z{};
  if (inflateInit2(&z, window_bits) != Z_OK) return std::nullopt;
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  auto rc = inflate(&z, Z_FINISH);
  out.resize(z.total_out);
  inflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

}  // namespace

TEST_CASE("Accept-Encoding: gzip or deflate, as negotiator picks among [gzip, deflate]",
          "[transport][compression]") {
  CHECK(choose_coding("") == content_coding::identity);
  CHECK(choose_coding("identity") == content_coding::identity);
  CHECK(choose_coding("br") == content_coding::identity);
  CHECK(choose_coding("gzip") == content_coding::gzip);
  CHECK(choose_coding("deflate") == content_coding::deflate);
  CHECK(choose_coding("gzip, deflate, br") == content_coding::gzip);
  // Equal q: the header's order decides.
  CHECK(choose_coding("deflate, gzip") == content_coding::deflate);
  CHECK(choose_coding("gzip;q=0.5, deflate") == content_coding::deflate);
  CHECK(choose_coding("gzip;q=0.9, deflate;q=0.8") == content_coding::gzip);
  CHECK(choose_coding("gzip;q=0, deflate;q=0") == content_coding::identity);
  CHECK(choose_coding("GZIP") == content_coding::gzip);
  CHECK(choose_coding(" gzip ; q=1 ") == content_coding::gzip);
  // "*" stands for any coding, our order (gzip first) breaks the tie; a
  // named coding is more specific than "*".
  CHECK(choose_coding("*") == content_coding::gzip);
  CHECK(choose_coding("*;q=0.5, deflate;q=0.8") == content_coding::deflate);
  CHECK(choose_coding("gzip;q=0, *") == content_coding::deflate);
  CHECK(choose_coding(",,,") == content_coding::identity);
}

TEST_CASE("gzip and deflate bodies inflate to the payload", "[transport][compression]") {
  std::string payload;
  for (int i = 0; i < 500; ++i) payload += "42[\"tick\"," + std::to_string(i) + "]\x1e";
  auto gzip = compress_body(payload, content_coding::gzip);
  REQUIRE(gzip);
  CHECK(gzip->size() < payload.size());
  CHECK(static_cast<unsigned char>((*gzip)[0]) == 0x1f);  // the gzip magic
  CHECK(static_cast<unsigned char>((*gzip)[1]) == 0x8b);
  CHECK(inflate_body(*gzip, 15 + 16) == payload);

  auto deflate = compress_body(payload, content_coding::deflate);
  REQUIRE(deflate);
  CHECK(inflate_body(*deflate, 15) == payload);  // the zlib wrapper, as node's createDeflate

  CHECK(compress_body(payload, content_coding::identity) == payload);
  auto empty = compress_body("", content_coding::gzip);
  REQUIRE(empty);
  CHECK(inflate_body(*empty, 15 + 16) == std::string());
  CHECK_FALSE(inflate_body(*gzip, 15));  // a gzip body is not a zlib one
}
