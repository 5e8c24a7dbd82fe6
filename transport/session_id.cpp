#include "transport/session_id.hpp"

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <stdexcept>

namespace cafio::transport {

namespace {

void fill_random(std::uint8_t* out, std::size_t n) {
  std::size_t done = 0;
  // getrandom() blocks only until the kernel's pool is seeded at boot; it
  // may return short reads for large sizes or be interrupted by a signal.
  for (int attempts = 0; done < n && attempts < 16; ++attempts) {
    auto got = getrandom(out + done, n - done, 0);
    if (got > 0)
      done += static_cast<std::size_t>(got);
    else if (got < 0 && errno != EINTR)
      break;
  }
  if (done < n) throw std::runtime_error("getrandom failed: no entropy for session ids");
}

}  // namespace

std::string generate_id() {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::array<std::uint8_t, 15> bytes;
  fill_random(bytes.data(), bytes.size());
  std::string id;
  id.reserve(20);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    id += alphabet[(v >> 18) & 63];
    id += alphabet[(v >> 12) & 63];
    id += alphabet[(v >> 6) & 63];
    id += alphabet[v & 63];
  }
  return id;
}

}  // namespace cafio::transport
