#include "actors/handshake.hpp"

#include <ctime>

namespace cafio {

json handshake::to_json() const {
  return json{{"headers", headers}, {"time", time},     {"address", address},
              {"xdomain", xdomain}, {"secure", secure}, {"issued", issued},
              {"url", url},         {"query", query},   {"auth", auth}};
}

std::string js_date_string(std::int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[96];
  std::strftime(buf, sizeof(buf), "%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)",
                &tm);
  return buf;
}

handshake make_handshake(const transport::handshake_request& request, json auth) {
  handshake h;
  h.headers = json::object();
  for (auto& [name, value] : request.headers()) {
    // Node joins repeated headers with ", " (set-cookie aside).
    auto& slot = h.headers[name];
    slot = slot.is_string() ? json(slot.get<std::string>() + ", " + value) : json(value);
  }
  h.time = js_date_string(request.issued_ms);
  h.address = request.address;
  h.xdomain = h.headers.contains("origin");
  h.secure = request.secure;
  h.issued = request.issued_ms;
  h.url = request.url;
  h.query = json::object();
  for (auto& [key, value] : request.query())
    if (!h.query.contains(key)) h.query[key] = value;
  h.auth = auth.is_object() ? std::move(auth) : json::object();
  return h;
}

}  // namespace cafio
