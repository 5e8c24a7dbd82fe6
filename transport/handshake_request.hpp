// What the Socket.IO layer keeps of the request that opened an Engine.IO
// session: the parts socket.handshake and socket.request expose, not the
// whole request buffer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "protocol/query_string.hpp"

namespace cafio::transport {

struct handshake_request {
  using header_list = std::vector<std::pair<std::string, std::string>>;

  std::string method;
  std::string url;      // path and query, e.g. "/socket.io/?EIO=4&transport=polling"
  std::string address;  // the peer's IP
  bool secure = false;
  std::int64_t issued_ms = 0;  // ms since the epoch
  /// The headers, packed as "name\0value\0..." (names lower-cased, in
  /// order): every connection keeps its request, and a vector of string
  /// pairs costs it a few hundred bytes in a dozen allocations.
  std::string packed_headers;

  /// Packs `headers` (names lower-cased) into packed_headers.
  void set_headers(const header_list& headers);

  /// The headers, names lower-cased, in order.
  header_list headers() const;

  /// The value of the first header `name` (lower case), or "" when absent.
  std::string_view header(std::string_view name) const;

  /// The URL's query parameters, decoded. Parsed on each call rather than
  /// kept: every connection keeps its request, few ask for the query again.
  query_params query() const;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, handshake_request& x) {
  return f(caf::meta::type_name("cafio.handshake_request"), x.method, x.url, x.address, x.secure,
           x.issued_ms, x.packed_headers);
}

}  // namespace cafio::transport
