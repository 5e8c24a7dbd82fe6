#include "transport/session_interface.hpp"

namespace cafio::transport {

outgoing make_text_message(std::string text, bool is_volatile, bool compress) {
  std::vector<engineio::packet> packets;
  packets.push_back(engineio::packet{engineio::packet_type::message, std::move(text), false});
  return outgoing{std::make_shared<const std::vector<engineio::packet>>(std::move(packets)),
                  is_volatile, compress};
}

namespace {

/// Calls `f(name, value)` for each packed header, in order, until it returns
/// true.
template <class F>
void for_each_header(std::string_view packed, F&& f) {
  while (!packed.empty()) {
    auto name_end = packed.find('\0');
    auto value_end = packed.find('\0', name_end + 1);
    if (name_end == std::string_view::npos || value_end == std::string_view::npos) return;
    if (f(packed.substr(0, name_end), packed.substr(name_end + 1, value_end - name_end - 1)))
      return;
    packed.remove_prefix(value_end + 1);
  }
}

}  // namespace

void handshake_request::set_headers(const header_list& list) {
  std::size_t size = 0;
  for (auto& [name, value] : list) size += name.size() + value.size() + 2;
  packed_headers.clear();
  packed_headers.reserve(size);
  for (auto& [name, value] : list) {
    // A NUL cannot occur in either: HTTP parsers refuse it.
    packed_headers.append(name).push_back('\0');
    packed_headers.append(value).push_back('\0');
  }
}

handshake_request::header_list handshake_request::headers() const {
  header_list list;
  for_each_header(packed_headers, [&list](std::string_view name, std::string_view value) {
    list.emplace_back(name, value);
    return false;
  });
  return list;
}

std::string_view handshake_request::header(std::string_view name) const {
  std::string_view found;
  for_each_header(packed_headers, [&](std::string_view key, std::string_view value) {
    if (key != name) return false;
    found = value;
    return true;
  });
  return found;
}

query_params handshake_request::query() const {
  auto q = url.find('?');
  return q == std::string::npos ? query_params{} : parse_query(std::string_view(url).substr(q + 1));
}

}  // namespace cafio::transport
