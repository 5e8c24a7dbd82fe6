// What the Socket.IO layer keeps of the request that opened an Engine.IO
// session: the parts socket.handshake and socket.request expose, not the
// whole request buffer.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "protocol/query_string.hpp"

namespace cafio::transport {

struct handshake_request {
  std::string method;
  std::string url;  // path and query, e.g. "/socket.io/?EIO=4&transport=polling"
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string address;                                       // the peer's IP
  bool secure = false;
  std::int64_t issued_ms = 0;  // ms since the epoch

  /// The value of header `name` (lower case), or "" when absent.
  const std::string& header(const std::string& name) const;

  /// The URL's query parameters, decoded. Parsed on each call rather than
  /// kept: every connection keeps its request, few ask for the query again.
  query_params query() const;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, handshake_request& x) {
  return f(caf::meta::type_name("cafio.handshake_request"), x.method, x.url, x.headers, x.address,
           x.secure, x.issued_ms);
}

}  // namespace cafio::transport
