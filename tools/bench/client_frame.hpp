// The frames the load generator writes (RFC 6455, 5.2 and 5.3): a client
// must mask every frame it sends, so transport's make_frame_header (a
// server's unmasked header) gets the mask bit and a key here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "transport/websocket_frame.hpp"

namespace cafio::bench {

/// A fresh masking key. RFC 6455 asks for unpredictable keys to protect
/// proxies from forged requests; a load generator on loopback only needs
/// keys that vary, so a per-thread xorshift does (never 0: a zero key would
/// leave the server's unmasking untested).
inline std::uint32_t next_mask_key() {
  thread_local std::uint32_t state = 0x9e3779b9u;
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

/// Appends one masked frame (FIN, `opcode`) whose payload is `parts` joined.
inline void append_masked_frame(std::string& out, transport::websocket_opcode opcode,
                                std::initializer_list<std::string_view> parts) {
  std::size_t length = 0;
  for (auto part : parts) length += part.size();
  auto header = transport::make_frame_header(opcode, length);
  header.bytes[1] |= 0x80;  // MASK
  auto key = next_mask_key();
  const char mask[4] = {static_cast<char>(key >> 24), static_cast<char>(key >> 16),
                        static_cast<char>(key >> 8), static_cast<char>(key)};
  out.reserve(out.size() + header.size + sizeof mask + length);
  out.append(reinterpret_cast<const char*>(header.bytes.data()), header.size);
  out.append(mask, sizeof mask);
  auto payload = out.size();
  for (auto part : parts) out.append(part);
  char* p = out.data() + payload;
  for (std::size_t i = 0; i < length; ++i) p[i] ^= mask[i & 3];
}

}  // namespace cafio::bench
