// Command line of cafio-bench.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cafio::bench {

/// Deliberate faults in the load generator's own receive path, to prove
/// that its consistency checks catch them (the smoke test's self-check).
enum class fault { none, drop, duplicate, reorder };

struct bench_options {
  std::string scenario;  // connect, fanout, echo, rooms, slowconsumer, hold
  std::string host = "127.0.0.1";
  std::uint16_t port = 3000;
  std::string path = "/socket.io/";
  int server_pid = 0;       // 0: no server RSS / CPU figures
  std::string label;        // names the server in the output ("cafio", "node")
  std::size_t clients = 0;  // 0: the scenario's default
  std::size_t concurrency = 100;
  double duration = 10;     // measured seconds
  double warmup = 1;        // seconds of traffic before measuring
  double hold = 3;          // connect / hold: seconds the connections stay idle before RSS is read
  std::size_t payload = 0;  // bytes of the payload object (0: the scenario's default)
  std::size_t window = 0;   // messages in flight (0: the scenario's default)
  std::size_t rooms = 100;
  std::size_t senders = 10;
  unsigned source_first = 1;  // source addresses 127.0.0.first .. 127.0.0.last
  unsigned source_last = 1;
  std::size_t threads = 1;
  std::int64_t sample_ms = 250;
  std::string json_path;  // "" none, "-" stdout
  bool quiet = false;
  fault inject = fault::none;
};

struct compare_options {
  std::vector<std::string> files;
  std::string baseline = "node";
  std::string markdown_path;
};

/// Parses `cafio-bench <scenario> ...`; nullopt with `error` set on error.
std::optional<bench_options> parse_bench_options(int argc, char** argv, std::string& error);
std::optional<compare_options> parse_compare_options(int argc, char** argv, std::string& error);
std::string usage();

}  // namespace cafio::bench
