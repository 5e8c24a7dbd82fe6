// A file the node serves from memory (the client bundle, the demo page):
// its bytes, its type and a weak validator, answered with 304 when the
// browser already has it.
#pragma once

#include <string>

#include "transport/http_exchange.hpp"

namespace cafio::node {

struct static_file {
  static_file() = default;
  static_file(std::string type, std::string bytes);

  std::string content_type;
  std::string body;
  std::string etag;  // W/"<hash of body>"

  /// The answer to a GET of this file: 200, or 304 when If-None-Match has
  /// the ETag. `headers` go on both.
  transport::http_answer answer(const transport::http_request& request,
                                transport::header_list headers) const;
};

}  // namespace cafio::node
