// The demo page's static files (tools/cafio-node/demo/), embedded into the
// binary at build time by embed_files.cmake, so the node is self-contained.
#pragma once

#include <string_view>
#include <vector>

namespace cafio::node {

struct embedded_file {
  std::string_view name;  // relative to tools/cafio-node/demo/, e.g. "app.js"
  std::string_view bytes;
};

/// Every embedded file, in the order CMake listed them.
const std::vector<embedded_file>& embedded_files();

}  // namespace cafio::node
