// Snapshots at the edges of a measured window: the server's RSS and CPU time,
// the load generator's own CPU time, the machine's busy share. Differences
// of two snapshots become the CPU figures every scenario reports.
#pragma once

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "latency_histogram.hpp"
#include "process_stats.hpp"

namespace cafio::bench {

using json = nlohmann::json;

struct snapshot {
  std::int64_t t_ns = 0;
  std::optional<process_sample> server;
  process_sample self;
  machine_sample machine;
};

snapshot take_snapshot(int server_pid, bool count_fds = false);

/// Wall time, server and load generator CPU seconds, and per-unit server CPU
/// (µs per `unit_name`, e.g. "delivery") between two snapshots.
json cpu_figures(const snapshot& from, const snapshot& to, double units, const char* unit_name,
                 std::size_t client_threads);

/// p50 / p99 / max / mean of a histogram, in µs, under `prefix`_p50_us, ...
void add_latency(json& metrics, const char* prefix, const latency_histogram& h);

}  // namespace cafio::bench
