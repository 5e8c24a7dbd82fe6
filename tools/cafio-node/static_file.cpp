#include "static_file.hpp"

#include <functional>

namespace cafio::node {

static_file::static_file(std::string type, std::string bytes)
    : content_type(std::move(type)),
      body(std::move(bytes)),
      etag("W/\"" + std::to_string(std::hash<std::string>{}(body)) + "\"") {}

transport::http_answer static_file::answer(const transport::http_request& request,
                                           transport::header_list headers) const {
  transport::http_answer a;
  a.headers = std::move(headers);
  a.headers.emplace_back("ETag", etag);
  if (auto tag = request.header("if-none-match"); tag && *tag == etag) {
    a.status = 304;
    return a;
  }
  a.content_type = content_type;
  a.body = body;
  return a;
}

}  // namespace cafio::node
