#include "demo_site.hpp"

#include <string_view>

#include "embedded_files.hpp"

namespace cafio::node {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string content_type_of(std::string_view name) {
  if (ends_with(name, ".html")) return "text/html; charset=utf-8";
  if (ends_with(name, ".js")) return "text/javascript; charset=utf-8";
  if (ends_with(name, ".css")) return "text/css; charset=utf-8";
  if (ends_with(name, ".svg")) return "image/svg+xml";
  if (ends_with(name, ".png")) return "image/png";
  if (ends_with(name, ".json")) return "application/json; charset=utf-8";
  return "application/octet-stream";
}

// The page runs only its own scripts and styles; images shared in the chat
// are blob: URLs made from the bytes the socket received.
constexpr const char* content_security_policy =
    "default-src 'self'; img-src 'self' blob:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

}  // namespace

demo_site::demo_site(const std::string& engine_path) {
  for (auto& embedded : embedded_files()) {
    auto body = std::string(embedded.bytes);
    if (embedded.name == "index.html") {
      // The page is written for the default path; the script reads the
      // path back from the bundle's URL.
      static constexpr std::string_view default_src = "src=\"/socket.io/socket.io.js\"";
      if (auto at = body.find(default_src); at != std::string::npos)
        body.replace(at, default_src.size(), "src=\"" + engine_path + "socket.io.js\"");
    }
    static_file f{content_type_of(embedded.name), std::move(body)};
    auto name = std::string(embedded.name);
    files_.emplace(name == "index.html" ? "/" : "/demo/" + name, std::move(f));
  }
}

std::optional<transport::http_answer> demo_site::serve(
    const transport::http_request& request) const {
  auto i = files_.find(request.path);
  if (i == files_.end() || request.method != "GET") return std::nullopt;
  transport::header_list headers{{"Cache-Control", "no-cache"},
                                 {"X-Content-Type-Options", "nosniff"}};
  if (ends_with(i->second.content_type, "html; charset=utf-8"))
    headers.emplace_back("Content-Security-Policy", content_security_policy);
  return i->second.answer(request, std::move(headers));
}

}  // namespace cafio::node
