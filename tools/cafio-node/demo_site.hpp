// The demo page over HTTP: index.html at "/", the other files of
// tools/cafio-node/demo/ at "/demo/<name>", from the bytes embedded at build
// time. Anything else is left to the Engine.IO server (which answers 404
// outside its path).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "static_file.hpp"
#include "transport/http_exchange.hpp"

namespace cafio::node {

class demo_site {
 public:
  /// Indexes the embedded files (embedded_files.hpp). `engine_path` is the
  /// Engine.IO path ("/socket.io/"): index.html loads the client bundle
  /// from there.
  explicit demo_site(const std::string& engine_path);

  /// The answer for `request` if it asks for a page file (GET only).
  std::optional<transport::http_answer> serve(const transport::http_request& request) const;

 private:
  std::map<std::string, static_file> files_;  // by request path
};

}  // namespace cafio::node
