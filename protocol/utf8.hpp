// UTF-8 well-formedness, shared by the codecs that must treat text as a
// JavaScript peer would: the JSON writer and the query-string decoder replace
// ill-formed input by U+FFFD (as Node's Buffer#toString does), and Engine.IO
// v3 payloads measure text in UTF-16 code units (JavaScript string lengths).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cafio {

/// The UTF-8 sequence at the start of a non-empty `text`: how many bytes it
/// spans and whether it is well formed (RFC 3629: no overlongs, surrogates or
/// code points above U+10FFFF). An ill-formed sequence spans its maximal
/// subpart, at least one byte: what a WHATWG decoder replaces by one U+FFFD.
struct utf8_sequence {
  std::size_t size = 1;
  bool valid = false;
};

utf8_sequence next_utf8_sequence(std::string_view text) noexcept;

/// Whether `text` is well-formed UTF-8.
bool is_valid_utf8(std::string_view text) noexcept;

/// Appends `text`, each ill-formed sequence replaced by U+FFFD.
void append_utf8_replacing_invalid(std::string& out, std::string_view text);

/// The length of `text` as a JavaScript string: UTF-16 code units, where a
/// code point above U+FFFF counts 2 and an ill-formed sequence counts 1 (it
/// decodes to one U+FFFD).
std::size_t utf16_length(std::string_view text) noexcept;

}  // namespace cafio
