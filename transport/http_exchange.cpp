#include "transport/http_exchange.hpp"

namespace cafio::transport {

const std::string* http_request::header(std::string_view name) const {
  for (auto& [key, value] : headers)
    if (key == name) return &value;
  return nullptr;
}

}  // namespace cafio::transport
