// Command-line options of cafio-node.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace cafio::node {

struct node_options {
  std::string app = "demo";
  std::string host = "127.0.0.1";
  std::uint16_t port = 3000;
  // Unset: the app's default (conformance-app.md fixes its own).
  std::optional<std::string> path;
  std::optional<std::chrono::milliseconds> ping_interval;
  std::optional<std::chrono::milliseconds> ping_timeout;
  std::optional<std::size_t> max_payload;
  std::optional<std::chrono::milliseconds> connect_timeout;
  std::optional<std::string> cors_origin;
  /// Also accept Engine.IO v3 clients (the conformance app always does).
  bool allow_eio3 = false;
  std::size_t io_threads = 0;
  std::size_t scheduler_threads = 0;
  bool help = false;
};

/// Parses argv; on error returns nullopt with `error` set.
std::optional<node_options> parse_options(int argc, char** argv, std::string& error);

std::string usage();

}  // namespace cafio::node
