#include "protocol/engineio_jsonp.hpp"

#include <nlohmann/json.hpp>

#include "protocol/query_string.hpp"

namespace cafio::engineio::jsonp {

namespace {

constexpr std::string_view line_separator = "\xE2\x80\xA8";       // U+2028
constexpr std::string_view paragraph_separator = "\xE2\x80\xA9";  // U+2029

}  // namespace

std::string callback_index(std::string_view j) {
  std::string digits;
  for (char c : j)
    if (c >= '0' && c <= '9') digits += c;
  return digits;
}

std::string encode_response(std::string_view index, std::string_view payload) {
  // JSON.stringify: quotes, backslashes and control characters escaped, the
  // rest (UTF-8 included) kept; invalid UTF-8 cannot occur in a payload but
  // would become U+FFFD rather than an exception.
  const std::string js =
      nlohmann::json(payload).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(js.size() + index.size() + 16);
  out += "___eio[";
  out += index;
  out += "](";
  // JSON is not a subset of JavaScript: U+2028 and U+2029 end a line there.
  for (std::size_t i = 0; i < js.size();) {
    const std::string_view rest = std::string_view(js).substr(i);
    if (rest.substr(0, 3) == line_separator) {
      out += "\\u2028";
      i += 3;
    } else if (rest.substr(0, 3) == paragraph_separator) {
      out += "\\u2029";
      i += 3;
    } else {
      out += js[i++];
    }
  }
  out += ");";
  return out;
}

std::string unescape_newlines(std::string_view text) {
  // First pass, /(\\)?\\n/g: "\\n" is kept, "\n" becomes a newline.
  std::string first;
  first.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, "\\\\n") == 0) {
      first.append(text.substr(i, 3));
      i += 3;
    } else if (text.compare(i, 2, "\\n") == 0) {
      first += '\n';
      i += 2;
    } else {
      first += text[i++];
    }
  }
  // Second pass, /\\\\n/g: "\\n" becomes "\n".
  std::string out;
  out.reserve(first.size());
  for (std::size_t i = 0; i < first.size();) {
    if (first.compare(i, 3, "\\\\n") == 0) {
      out += "\\n";
      i += 3;
    } else {
      out += first[i++];
    }
  }
  return out;
}

std::optional<std::string> decode_post(std::string_view body) {
  // querystring.parse: a key given twice yields an array, which engine.io
  // ignores like a missing one.
  std::optional<std::string> data;
  for (auto& [key, value] : parse_query(body)) {
    if (key != "d") continue;
    if (data) return std::nullopt;
    data = std::move(value);
  }
  if (!data) return std::nullopt;
  return unescape_newlines(*data);
}

}  // namespace cafio::engineio::jsonp
