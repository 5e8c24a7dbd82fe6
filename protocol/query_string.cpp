#include "protocol/query_string.hpp"

#include "protocol/utf8.hpp"

namespace cafio {

namespace {

// Node's querystring.parse stops after maxKeys pieces (default 1000): a bound
// on the work a hostile URL can cause.
constexpr std::size_t max_pieces = 1000;

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string url_decode(std::string_view text) {
  std::string bytes;
  bytes.reserve(text.size());
  bool high_bytes = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      bytes += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      bytes += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      // Node's unescapeBuffer: a malformed escape is kept literally.
      bytes += c;
    }
    high_bytes |= static_cast<unsigned char>(bytes.back()) >= 0x80;
  }
  if (!high_bytes || is_valid_utf8(bytes)) return bytes;
  // Node decodes the bytes as UTF-8, ill-formed sequences becoming U+FFFD.
  std::string text_out;
  text_out.reserve(bytes.size() + 8);
  append_utf8_replacing_invalid(text_out, bytes);
  return text_out;
}

query_params parse_query(std::string_view query) {
  query_params params;
  std::size_t pieces = 0;
  std::size_t start = 0;
  while (start <= query.size() && pieces < max_pieces) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view piece = query.substr(start, end - start);
    ++pieces;
    if (!piece.empty()) {
      // The first '=' separates key and value; later ones belong to the value.
      const std::size_t eq = piece.find('=');
      if (eq == std::string_view::npos) {
        params.emplace_back(url_decode(piece), std::string{});
      } else {
        params.emplace_back(url_decode(piece.substr(0, eq)), url_decode(piece.substr(eq + 1)));
      }
    }
    if (end == query.size()) break;
    start = end + 1;
  }
  return params;
}

std::optional<std::string> find_param(const query_params& params, std::string_view key) {
  for (const auto& [k, v] : params) {
    if (k == key) return v;
  }
  return std::nullopt;
}

}  // namespace cafio
