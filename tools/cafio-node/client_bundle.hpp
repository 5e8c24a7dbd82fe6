// serveClient: the socket.io-client bundles at <path>socket.io.js,
// socket.io.min.js, socket.io.esm.min.js, socket.io.msgpack.min.js and their
// source maps, read once at start from the npm socket.io-client package.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "static_file.hpp"
#include "transport/http_exchange.hpp"

namespace cafio::node {

class client_bundle {
 public:
  /// Reads the bundle files of `dir` (e.g. node_modules/socket.io-client/dist).
  /// Returns nullopt with `error` set when socket.io.js is not there.
  static std::optional<client_bundle> load(const std::string& dir, const std::string& path,
                                           std::string& error);

  /// The answer for `request` if it asks for one of the files.
  std::optional<transport::http_answer> serve(const transport::http_request& request) const;

 private:
  std::map<std::string, static_file> files_;  // by full request path
};

}  // namespace cafio::node
