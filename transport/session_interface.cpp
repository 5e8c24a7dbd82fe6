#include "transport/session_interface.hpp"

namespace cafio::transport {

outgoing make_text_message(std::string text, bool is_volatile, bool compress) {
  std::vector<engineio::packet> packets;
  packets.push_back(engineio::packet{engineio::packet_type::message, std::move(text), false});
  return outgoing{std::make_shared<const std::vector<engineio::packet>>(std::move(packets)),
                  is_volatile, compress};
}

const std::string& handshake_request::header(const std::string& name) const {
  static const std::string none;
  for (auto& [key, value] : headers)
    if (key == name) return value;
  return none;
}

query_params handshake_request::query() const {
  auto q = url.find('?');
  return q == std::string::npos ? query_params{} : parse_query(std::string_view(url).substr(q + 1));
}

}  // namespace cafio::transport
