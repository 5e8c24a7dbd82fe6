#include "protocol/utf8.hpp"

namespace cafio {

namespace {

constexpr bool is_continuation(unsigned char c) noexcept {
  return (c & 0xC0) == 0x80;
}

}  // namespace

utf8_sequence next_utf8_sequence(std::string_view text) noexcept {
  const auto b0 = static_cast<unsigned char>(text[0]);
  if (b0 < 0x80) return {1, true};
  // RFC 3629 table 3.7 (Unicode 15, "Well-Formed UTF-8 Byte Sequences"): the
  // allowed range of the second byte depends on the first.
  std::size_t size = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    size = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    size = 3;
    if (b0 == 0xE0) lo = 0xA0;  // no overlongs
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    size = 4;
    if (b0 == 0xF0) lo = 0x90;  // no overlongs
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return {1, false};
  }
  if (text.size() < 2) return {1, false};
  const auto b1 = static_cast<unsigned char>(text[1]);
  if (b1 < lo || b1 > hi) return {1, false};
  for (std::size_t i = 2; i < size; ++i) {
    if (i >= text.size() || !is_continuation(static_cast<unsigned char>(text[i]))) {
      return {i, false};
    }
  }
  return {size, true};
}

bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const auto seq = next_utf8_sequence(text.substr(i));
    if (!seq.valid) return false;
    i += seq.size;
  }
  return true;
}

void append_utf8_replacing_invalid(std::string& out, std::string_view text) {
  std::size_t run = 0;  // start of the well-formed run not yet appended
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const auto seq = next_utf8_sequence(text.substr(i));
    if (!seq.valid) {
      out.append(text.data() + run, i - run);
      out += "\xEF\xBF\xBD";
      run = i + seq.size;
    }
    i += seq.size;
  }
  out.append(text.data() + run, text.size() - run);
}

std::size_t utf16_length(std::string_view text) noexcept {
  std::size_t units = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      ++units;
      continue;
    }
    const auto seq = next_utf8_sequence(text.substr(i));
    units += (seq.valid && seq.size == 4) ? 2 : 1;
    i += seq.size;
  }
  return units;
}

}  // namespace cafio
