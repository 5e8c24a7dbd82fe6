#include "protocol/socketio_packet.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

#include "protocol/utf8.hpp"

namespace cafio::socketio {

namespace {

using json = nlohmann::json;

// Deepest JSON nesting a decoded payload may have. JavaScript peers hit a
// RangeError long before a megabyte of "[[[[" is exhausted; here the bound
// keeps every later recursive walk (ours, nlohmann's copies and comparisons)
// far from the end of the stack.
constexpr std::size_t max_json_depth = 1000;

constexpr std::array<std::string_view, 6> reserved_event_names = {
    "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
};

bool is_binary_type(packet_type type) noexcept {
  return type == packet_type::binary_event || type == packet_type::binary_ack;
}

template <class Integer>
void append_integer(std::string& out, Integer value) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, res.ptr);
}

// Number.prototype.toString (ECMA-262 Number::toString), which is what
// JSON.stringify writes for finite numbers: the shortest digits that round-trip,
// in plain notation for exponents in [-7, 21), scientific otherwise.
void append_js_double(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  if (value == 0) {
    out += '0';  // also for -0
    return;
  }
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  const char* p = buf;
  if (*p == '-') {
    out += '-';
    ++p;
  }
  char digits[20];
  int k = 0;  // number of significant digits
  for (; p < res.ptr && *p != 'e'; ++p) {
    if (*p != '.') digits[k++] = *p;
  }
  ++p;  // 'e'
  const bool negative_exponent = *p == '-';
  ++p;  // exponent sign, always written
  int exponent = 0;
  std::from_chars(p, res.ptr, exponent);
  if (negative_exponent) exponent = -exponent;
  const int n = exponent + 1;  // the decimal point sits after n digits
  if (k <= n && n <= 21) {
    out.append(digits, k);
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, n);
    out += '.';
    out.append(digits + n, k - n);
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out.append(digits, k);
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits + 1, k - 1);
    }
    out += 'e';
    out += n - 1 >= 0 ? '+' : '-';
    append_integer(out, n - 1 >= 0 ? n - 1 : 1 - n);
  }
}

// JSON.stringify's QuoteJSONString: escapes '"', '\\' and control characters,
// keeps everything else (UTF-8 included) as is.
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const auto seq = next_utf8_sequence(text.substr(i));
      if (seq.valid) {
        i += seq.size;
        continue;
      }
      out.append(text.data() + run, i - run);
      out += "\xEF\xBF\xBD";  // U+FFFD for ill-formed UTF-8
      i += seq.size;
      run = i;
      continue;
    }
    out.append(text.data() + run, i - run);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
        break;
    }
    ++i;
    run = i;
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

// Writes JSON as JSON.stringify does. With `attachments`, binary values become
// {"_placeholder":true,"num":N} in depth-first order and their bytes are
// collected (socket.io-parser deconstructPacket); without, they are written
// as Node writes a Buffer ({"type":"Buffer","data":[...]}).
class json_writer {
 public:
  json_writer(std::string& out, std::vector<std::string>* attachments)
      : out_(out), attachments_(attachments) {}

  void write(const json& j) {
    switch (j.type()) {
      case json::value_t::null:
      case json::value_t::discarded:
        out_ += "null";
        break;
      case json::value_t::boolean:
        out_ += j.get<bool>() ? "true" : "false";
        break;
      case json::value_t::number_integer:
        append_integer(out_, j.get<json::number_integer_t>());
        break;
      case json::value_t::number_unsigned:
        append_integer(out_, j.get<json::number_unsigned_t>());
        break;
      case json::value_t::number_float:
        append_js_double(out_, j.get<json::number_float_t>());
        break;
      case json::value_t::string:
        append_json_string(out_, j.get_ref<const json::string_t&>());
        break;
      case json::value_t::array: {
        out_ += '[';
        bool first = true;
        for (const auto& element : j.get_ref<const json::array_t&>()) {
          if (!first) out_ += ',';
          first = false;
          write(element);
        }
        out_ += ']';
        break;
      }
      case json::value_t::object: {
        out_ += '{';
        bool first = true;
        for (const auto& [key, value] : j.get_ref<const json::object_t&>()) {
          if (!first) out_ += ',';
          first = false;
          append_json_string(out_, key);
          out_ += ':';
          write(value);
        }
        out_ += '}';
        break;
      }
      case json::value_t::binary:
        write_binary(j.get_binary());
        break;
    }
  }

 private:
  void write_binary(const json::binary_t& bytes) {
    if (attachments_ != nullptr) {
      out_ += "{\"_placeholder\":true,\"num\":";
      append_integer(out_, attachments_->size());
      out_ += '}';
      attachments_->emplace_back(bytes.begin(), bytes.end());
      return;
    }
    out_ += "{\"type\":\"Buffer\",\"data\":[";
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      if (i > 0) out_ += ',';
      append_integer(out_, static_cast<unsigned>(bytes[i]));
    }
    out_ += "]}";
  }

  std::string& out_;
  std::vector<std::string>* attachments_;
};

std::size_t count_binary(const json& j) {
  switch (j.type()) {
    case json::value_t::binary:
      return 1;
    case json::value_t::array: {
      std::size_t n = 0;
      for (const auto& element : j.get_ref<const json::array_t&>()) n += count_binary(element);
      return n;
    }
    case json::value_t::object: {
      std::size_t n = 0;
      for (const auto& entry : j.get_ref<const json::object_t&>()) n += count_binary(entry.second);
      return n;
    }
    default:
      return 0;
  }
}

// Whether the brackets of `text` nest deeper than `max_depth` (strings
// skipped). Cheaper than parsing, and run before the parser builds the tree.
bool nests_deeper_than(std::string_view text, std::size_t max_depth) {
  if (text.size() <= max_depth) return false;  // every level needs a bracket
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_depth) return true;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return false;
}

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// Reads the decimal digits at text[i...] into `value`; false on overflow.
template <class Unsigned>
bool read_decimal(std::string_view text, std::size_t& i, Unsigned& value) {
  value = 0;
  for (; i < text.size() && is_digit(text[i]); ++i) {
    const auto digit = static_cast<Unsigned>(text[i] - '0');
    if (value > (std::numeric_limits<Unsigned>::max() - digit) / 10) return false;
    value = value * 10 + digit;
  }
  return true;
}

// socket.io-parser Decoder.isPayloadValid, with a missing payload judged as
// isDataValid judges it: only connect and disconnect may come without one.
bool is_payload_valid(packet_type type, const std::optional<json>& payload) {
  switch (type) {
    case packet_type::connect:
      return !payload || payload->is_object();
    case packet_type::disconnect:
      return !payload;
    case packet_type::connect_error:
      return payload && (payload->is_string() || payload->is_object());
    case packet_type::event:
    case packet_type::binary_event: {
      if (!payload || !payload->is_array() || payload->empty()) return false;
      const json& name = payload->front();
      return name.is_number() ||
             (name.is_string() && !is_reserved_event_name(name.get_ref<const json::string_t&>()));
    }
    case packet_type::ack:
    case packet_type::binary_ack:
      return payload && payload->is_array();
  }
  return false;
}

// socket.io-parser reconstructPacket: every object whose "_placeholder" is
// true is replaced by attachment "num". Iterative, as the tree may be deep.
bool reconstruct(json& root, const std::vector<std::string>& attachments) {
  std::vector<json*> stack{&root};
  while (!stack.empty()) {
    json& j = *stack.back();
    stack.pop_back();
    if (j.is_object()) {
      auto& object = j.get_ref<json::object_t&>();
      if (auto flag = object.find("_placeholder");
          flag != object.end() && flag->second.is_boolean() && flag->second.get<bool>()) {
        auto num = object.find("num");
        if (num == object.end()) return false;
        std::size_t index = 0;
        const json& n = num->second;
        if (n.is_number_unsigned()) {
          index = static_cast<std::size_t>(n.get<json::number_unsigned_t>());
        } else if (n.is_number_integer() && n.get<json::number_integer_t>() >= 0) {
          index = static_cast<std::size_t>(n.get<json::number_integer_t>());
        } else if (n.is_number_float() && n.get<double>() >= 0 &&
                   n.get<double>() < static_cast<double>(attachments.size()) &&
                   std::floor(n.get<double>()) == n.get<double>()) {
          index = static_cast<std::size_t>(n.get<double>());
        } else {
          return false;
        }
        if (index >= attachments.size()) return false;
        const std::string& bytes = attachments[index];
        j = json::binary(json::binary_t::container_type(bytes.begin(), bytes.end()));
        continue;
      }
      for (auto& entry : object) stack.push_back(&entry.second);
    } else if (j.is_array()) {
      for (auto& element : j.get_ref<json::array_t&>()) stack.push_back(&element);
    }
  }
  return true;
}

}  // namespace

bool has_binary(const nlohmann::json& j) {
  switch (j.type()) {
    case json::value_t::binary:
      return true;
    case json::value_t::array:
      for (const auto& element : j.get_ref<const json::array_t&>()) {
        if (has_binary(element)) return true;
      }
      return false;
    case json::value_t::object:
      for (const auto& entry : j.get_ref<const json::object_t&>()) {
        if (has_binary(entry.second)) return true;
      }
      return false;
    default:
      return false;
  }
}

std::string to_json_text(const nlohmann::json& j) {
  std::string out;
  json_writer{out, nullptr}.write(j);
  return out;
}

bool is_reserved_event_name(std::string_view name) {
  for (auto reserved : reserved_event_names) {
    if (name == reserved) return true;
  }
  return false;
}

encoded_packet encode(const packet& p) {
  // socket.io-parser Encoder: "<type>[<attachments>-][<nsp>,][<id>][<json>]".
  encoded_packet encoded;
  const bool has_data = p.data.has_value() && !p.data->is_null();  // JS: null != data
  packet_type type = p.type;
  std::size_t binary_count = 0;
  if (has_data &&
      (is_binary_type(type) || type == packet_type::event || type == packet_type::ack)) {
    binary_count = count_binary(*p.data);
  }
  if (binary_count > 0 && type == packet_type::event) type = packet_type::binary_event;
  if (binary_count > 0 && type == packet_type::ack) type = packet_type::binary_ack;
  const bool binary = is_binary_type(type);

  std::string& text = encoded.text;
  text.reserve(32 + p.nsp.size());
  text += static_cast<char>('0' + static_cast<int>(type));
  if (binary) {
    append_integer(text, binary_count);
    text += '-';
  }
  if (!p.nsp.empty() && p.nsp != "/") {
    text += p.nsp;
    text += ',';
  }
  if (p.id) append_integer(text, *p.id);
  if (has_data) {
    if (binary) encoded.attachments.reserve(binary_count);
    json_writer{text, binary ? &encoded.attachments : nullptr}.write(*p.data);
  }
  return encoded;
}

decoder::decoder(decoder_options options) : options_(options) {}

result<std::optional<packet>> decoder::decode_text(std::string_view text) {
  // socket.io-parser Decoder.add / decodeString.
  if (pending_) return make_error("got plaintext data when reconstructing a packet");
  if (text.empty() || text[0] < '0' || text[0] > '6') return make_error("unknown packet type");
  packet p;
  p.type = static_cast<packet_type>(text[0] - '0');
  std::size_t i = 1;

  std::size_t attachments = 0;
  if (is_binary_type(p.type)) {
    // "<count>-": only digits, at least one, and the dash.
    const std::size_t start = i;
    if (!read_decimal(text, i, attachments)) return make_error("too many attachments");
    if (i == start || i >= text.size() || text[i] != '-') return make_error("illegal attachments");
    if (attachments > options_.max_attachments) return make_error("too many attachments");
    ++i;
  }

  if (i < text.size() && text[i] == '/') {
    // The namespace runs up to ',' or the end ("1/admin" has no comma).
    const std::size_t comma = text.find(',', i);
    const std::size_t end = comma == std::string_view::npos ? text.size() : comma;
    p.nsp.assign(text.data() + i, end - i);
    i = comma == std::string_view::npos ? end : end + 1;
  }

  if (i < text.size() && is_digit(text[i])) {
    std::uint64_t id = 0;
    if (!read_decimal(text, i, id)) return make_error("invalid ack id");
    p.id = id;
  }

  if (i < text.size()) {
    const std::string_view payload = text.substr(i);
    if (nests_deeper_than(payload, max_json_depth)) return make_error("invalid payload");
    auto parsed = json::parse(payload.data(), payload.data() + payload.size(), nullptr, false);
    if (parsed.is_discarded()) return make_error("invalid payload");
    p.data = std::move(parsed);
  }
  if (!is_payload_valid(p.type, p.data)) return make_error("invalid payload");

  if (is_binary_type(p.type)) {
    // Like socket.io-parser, a reassembled packet is reported as a plain
    // event or ack; its binary values are json::binary_t.
    p.type = p.type == packet_type::binary_event ? packet_type::event : packet_type::ack;
    if (attachments > 0) {
      pending_ = std::move(p);
      expected_attachments_ = attachments;
      attachments_.clear();
      attachments_.reserve(attachments);
      return std::optional<packet>{};
    }
    // "Labeled binary but no binary data to follow": complete as it stands.
  }
  return std::optional<packet>{std::move(p)};
}

result<std::optional<packet>> decoder::decode_binary(std::string_view bytes) {
  if (!pending_) return make_error("got binary data when not reconstructing a packet");
  attachments_.emplace_back(bytes);
  if (attachments_.size() < expected_attachments_) return std::optional<packet>{};
  packet p = std::move(*pending_);
  pending_.reset();
  expected_attachments_ = 0;
  std::vector<std::string> attachments = std::move(attachments_);
  attachments_.clear();
  if (p.data && !reconstruct(*p.data, attachments)) return make_error("illegal attachments");
  return std::optional<packet>{std::move(p)};
}

}  // namespace cafio::socketio
