#include "client_bundle.hpp"

#include <fstream>
#include <sstream>

namespace cafio::node {

std::optional<client_bundle> client_bundle::load(const std::string& dir, const std::string& path,
                                                 std::string& error) {
  static const char* names[] = {"socket.io.js",
                                "socket.io.js.map",
                                "socket.io.min.js",
                                "socket.io.min.js.map",
                                "socket.io.esm.min.js",
                                "socket.io.esm.min.js.map",
                                "socket.io.msgpack.min.js",
                                "socket.io.msgpack.min.js.map"};
  client_bundle bundle;
  for (auto name : names) {
    std::ifstream in(dir + "/" + name, std::ios::binary);
    if (!in) continue;
    std::ostringstream content;
    content << in.rdbuf();
    std::string n = name;
    auto type = n.size() > 4 && n.compare(n.size() - 4, 4, ".map") == 0
                    ? "application/json; charset=utf-8"
                    : "application/javascript; charset=utf-8";
    static_file f{type, content.str()};
    bundle.files_.emplace(path + name, std::move(f));
  }
  if (bundle.files_.count(path + "socket.io.js") == 0) {
    error = "no socket.io.js in '" + dir + "' (run npm ci, or set --client-dir)";
    return std::nullopt;
  }
  return bundle;
}

std::optional<transport::http_answer> client_bundle::serve(
    const transport::http_request& request) const {
  auto i = files_.find(request.path);
  if (i == files_.end() || request.method != "GET") return std::nullopt;
  return i->second.answer(request, {{"Cache-Control", "public, max-age=0"}});
}

}  // namespace cafio::node
