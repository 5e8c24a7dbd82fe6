#include "transport/http_answers.hpp"

#include <nlohmann/json.hpp>

#include "transport/http_compression.hpp"

namespace cafio::transport {

void add_cors_headers(const cors_options& cors, const http_request& request, header_list& headers) {
  if (!cors.enabled) return;
  // As the `cors` middleware: a fixed origin, "*", or the request's own
  // origin reflected (with Vary: Origin so caches keep them apart).
  if (cors.origin.empty()) {
    if (auto origin = request.header("origin")) {
      headers.emplace_back("Access-Control-Allow-Origin", *origin);
      headers.emplace_back("Vary", "Origin");
    }
  } else {
    headers.emplace_back("Access-Control-Allow-Origin", cors.origin);
    if (cors.origin != "*") headers.emplace_back("Vary", "Origin");
  }
  if (cors.credentials) headers.emplace_back("Access-Control-Allow-Credentials", "true");
}

http_answer error_answer(const engineio_options& options, const http_request& request,
                         engineio::error_code code, std::optional<std::string> message) {
  http_answer a;
  a.status = code == engineio::error_code::forbidden ? 403 : 400;
  a.content_type = "application/json";
  if (message) {
    // allowRequest may name its own reason, as in the reference.
    a.body = nlohmann::json{{"code", static_cast<int>(code)}, {"message", *message}}.dump();
  } else {
    a.body = engineio::error_body(code);
  }
  add_cors_headers(options.cors, request, a.headers);
  return a;
}

http_answer payload_answer(const engineio_options& options, const http_request& request,
                           std::string body, bool binary, bool compress) {
  http_answer a;
  a.content_type = binary ? "application/octet-stream" : "text/plain; charset=UTF-8";
  a.body = std::move(body);
  auto& http_compression = options.http_compression;
  if (compress && http_compression.enabled && a.body.size() >= http_compression.threshold) {
    auto* accept = request.header("accept-encoding");
    auto coding = accept ? choose_coding(*accept) : content_coding::identity;
    if (coding != content_coding::identity) {
      if (auto compressed = compress_body(a.body, coding)) {
        a.body = std::move(*compressed);
        a.headers.emplace_back("Content-Encoding", std::string(to_string(coding)));
      }
    }
  }
  add_cors_headers(options.cors, request, a.headers);
  return a;
}

http_answer ok_answer(const engineio_options& options, const http_request& request) {
  http_answer a;
  a.content_type = "text/html";
  a.body = "ok";
  add_cors_headers(options.cors, request, a.headers);
  return a;
}

http_answer preflight_answer(const engineio_options& options, const http_request& request) {
  http_answer a;
  a.status = 204;
  add_cors_headers(options.cors, request, a.headers);
  a.headers.emplace_back("Access-Control-Allow-Methods", options.cors.methods);
  if (auto requested = request.header("access-control-request-headers")) {
    a.headers.emplace_back("Access-Control-Allow-Headers", *requested);
    a.headers.emplace_back("Vary", "Access-Control-Request-Headers");
  }
  return a;
}

std::string handshake_cookie(const cookie_options& cookie, const std::string& sid) {
  std::string value = cookie.name + "=" + sid;
  if (!cookie.path.empty()) value += "; Path=" + cookie.path;
  if (cookie.http_only && !cookie.path.empty()) value += "; HttpOnly";
  if (cookie.same_site == "lax")
    value += "; SameSite=Lax";
  else if (cookie.same_site == "strict")
    value += "; SameSite=Strict";
  else if (cookie.same_site == "none")
    value += "; SameSite=None";
  return value;
}

}  // namespace cafio::transport
