#include "bench_payload.hpp"

#include <charconv>

namespace cafio::bench {

namespace {

struct cursor {
  std::string_view text;
  std::size_t at = 0;

  void skip_space() {
    while (at < text.size() &&
           (text[at] == ' ' || text[at] == '\n' || text[at] == '\r' || text[at] == '\t'))
      ++at;
  }
  bool take(char c) {
    skip_space();
    if (at < text.size() && text[at] == c) {
      ++at;
      return true;
    }
    return false;
  }
  /// A string without escapes (keys, event names, the all-'x' padding);
  /// escaped strings are skipped and reported as not intact.
  bool string(std::string_view& out, bool& plain) {
    skip_space();
    if (at >= text.size() || text[at] != '"') return false;
    auto first = ++at;
    plain = true;
    while (at < text.size() && text[at] != '"') {
      if (text[at] == '\\') {
        plain = false;
        ++at;
      }
      ++at;
    }
    if (at >= text.size()) return false;
    out = text.substr(first, at - first);
    ++at;
    return true;
  }
  bool integer(std::int64_t& out) {
    skip_space();
    auto [ptr, ec] = std::from_chars(text.data() + at, text.data() + text.size(), out);
    if (ec != std::errc{}) return false;
    auto end = static_cast<std::size_t>(ptr - text.data());
    // "1.0" or "1e3" would mean the server turned an integer into a double.
    if (end < text.size() && (text[end] == '.' || text[end] == 'e' || text[end] == 'E'))
      return false;
    at = end;
    return true;
  }
};

bool read_object(cursor& c, stamp& out) {
  if (!c.take('{')) return false;
  if (c.take('}')) return true;
  do {
    std::string_view key;
    bool plain = true;
    if (!c.string(key, plain) || !c.take(':')) return false;
    c.skip_space();
    if (c.at >= c.text.size()) return false;
    if (c.text[c.at] == '"') {
      std::string_view value;
      if (!c.string(value, plain)) return false;
      if (key == "p") {
        out.pad = value.size();
        out.pad_intact = plain && value.find_first_not_of('x') == std::string_view::npos;
      }
    } else {
      std::int64_t value = 0;
      if (!c.integer(value)) return false;
      if (key.size() == 1) {
        switch (key[0]) {
          case 't':
            out.t = value;
            break;
          case 's':
            out.s = value;
            break;
          case 'f':
            out.f = value;
            break;
          case 'r':
            out.r = value;
            break;
          case 'w':
            out.w = value;
            break;
          default:
            break;
        }
      }
    }
  } while (c.take(','));
  return c.take('}');
}

}  // namespace

namespace {

/// {"t":..,"s":..[,"f":..][,"r":..][,"w":..],"p":" : everything before the padding.
void write_head(const stamp& st, std::string& out) {
  auto field = [&out](const char* key, std::int64_t v) {
    out += key;
    out += std::to_string(v);
  };
  field("{\"t\":", st.t);
  field(",\"s\":", st.s);
  if (st.f >= 0) field(",\"f\":", st.f);
  if (st.r >= 0) field(",\"r\":", st.r);
  if (st.w >= 0) field(",\"w\":", st.w);
  out += ",\"p\":\"";
}

std::size_t pad_for(std::size_t head, std::size_t bytes) {
  auto used = head + 2;  // the closing "}
  return bytes > used ? bytes - used : 0;
}

}  // namespace

std::string make_payload(const stamp& st, std::size_t bytes) {
  std::string out;
  out.reserve(bytes + 96);
  write_head(st, out);
  out.append(pad_for(out.size(), bytes), 'x');
  out += "\"}";
  return out;
}

std::size_t expected_pad(const stamp& st, std::size_t bytes) {
  std::string head;
  head.reserve(96);
  write_head(st, head);
  return pad_for(head.size(), bytes);
}

bool read_event(std::string_view array, std::string_view event, stamp& out) {
  cursor c{array};
  std::string_view name;
  bool plain = true;
  if (!c.take('[') || !c.string(name, plain) || name != event || !c.take(',')) return false;
  return read_object(c, out) && c.take(']');
}

bool read_ack(std::string_view array, stamp& out) {
  cursor c{array};
  return c.take('[') && read_object(c, out) && c.take(']');
}

}  // namespace cafio::bench
