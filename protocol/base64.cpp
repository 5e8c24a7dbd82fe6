#include "protocol/base64.hpp"

#include <array>
#include <cstdint>

namespace cafio {

namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::uint8_t invalid = 0xFF;

constexpr std::array<std::uint8_t, 256> make_decode_table() {
  std::array<std::uint8_t, 256> table{};
  for (auto& entry : table) entry = invalid;
  for (std::uint8_t i = 0; i < 64; ++i) table[static_cast<unsigned char>(alphabet[i])] = i;
  return table;
}

constexpr auto decode_table = make_decode_table();

}  // namespace

void base64_encode_append(std::string& out, std::string_view bytes) {
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  const std::size_t start = out.size();
  out.resize(start + (n + 2) / 3 * 4);
  char* dst = out.data() + start;
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const std::uint32_t v =
        (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
    *dst++ = alphabet[(v >> 18) & 0x3F];
    *dst++ = alphabet[(v >> 12) & 0x3F];
    *dst++ = alphabet[(v >> 6) & 0x3F];
    *dst++ = alphabet[v & 0x3F];
  }
  if (const std::size_t rest = n - i; rest > 0) {
    std::uint32_t v = std::uint32_t{in[i]} << 16;
    if (rest == 2) v |= std::uint32_t{in[i + 1]} << 8;
    *dst++ = alphabet[(v >> 18) & 0x3F];
    *dst++ = alphabet[(v >> 12) & 0x3F];
    *dst++ = rest == 2 ? alphabet[(v >> 6) & 0x3F] : '=';
    *dst++ = '=';
  }
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  base64_encode_append(out, bytes);
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') {
    padding = text[text.size() - 2] == '=' ? 2 : 1;
  }
  std::string out;
  out.resize(text.size() / 4 * 3 - padding);
  char* dst = out.data();
  const std::size_t full_end = padding == 0 ? text.size() : text.size() - 4;
  std::size_t i = 0;
  for (; i < full_end; i += 4) {
    const std::uint8_t a = decode_table[static_cast<unsigned char>(text[i])];
    const std::uint8_t b = decode_table[static_cast<unsigned char>(text[i + 1])];
    const std::uint8_t c = decode_table[static_cast<unsigned char>(text[i + 2])];
    const std::uint8_t d = decode_table[static_cast<unsigned char>(text[i + 3])];
    if ((a | b | c | d) == invalid) return std::nullopt;  // any invalid has all bits set
    const std::uint32_t v =
        (std::uint32_t{a} << 18) | (std::uint32_t{b} << 12) | (std::uint32_t{c} << 6) | d;
    *dst++ = static_cast<char>(v >> 16);
    *dst++ = static_cast<char>((v >> 8) & 0xFF);
    *dst++ = static_cast<char>(v & 0xFF);
  }
  if (padding > 0) {
    // The last quantum: "xx==" carries one byte, "xxx=" two.
    const std::uint8_t a = decode_table[static_cast<unsigned char>(text[i])];
    const std::uint8_t b = decode_table[static_cast<unsigned char>(text[i + 1])];
    const std::uint8_t c =
        padding == 2 ? std::uint8_t{0} : decode_table[static_cast<unsigned char>(text[i + 2])];
    if ((a | b | c) == invalid) return std::nullopt;
    const std::uint32_t v =
        (std::uint32_t{a} << 18) | (std::uint32_t{b} << 12) | (std::uint32_t{c} << 6);
    *dst++ = static_cast<char>(v >> 16);
    if (padding == 1) *dst++ = static_cast<char>((v >> 8) & 0xFF);
  }
  return out;
}

}  // namespace cafio
