// The headers of the data frames cafio writes itself (RFC 6455, 5.2).
#include "transport/websocket_frame.hpp"

#include <catch2/catch.hpp>
#include <vector>

using cafio::transport::make_frame_header;

namespace {

std::vector<int> bytes_of(bool binary, std::uint64_t length) {
  auto h = make_frame_header(binary, length);
  return {h.bytes.begin(), h.bytes.begin() + static_cast<std::ptrdiff_t>(h.size)};
}

}  // namespace

TEST_CASE("frame header: FIN, opcode, unmasked length in 7, 16 or 64 bits",
          "[transport][websocket]") {
  CHECK(bytes_of(false, 0) == std::vector<int>{0x81, 0});
  CHECK(bytes_of(false, 125) == std::vector<int>{0x81, 125});
  CHECK(bytes_of(true, 1) == std::vector<int>{0x82, 1});
  CHECK(bytes_of(false, 126) == std::vector<int>{0x81, 126, 0, 126});
  CHECK(bytes_of(true, 65535) == std::vector<int>{0x82, 126, 0xff, 0xff});
  CHECK(bytes_of(false, 65536) == std::vector<int>{0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0});
  CHECK(bytes_of(false, 0x0102030405060708ull) ==
        std::vector<int>{0x81, 127, 1, 2, 3, 4, 5, 6, 7, 8});
}
