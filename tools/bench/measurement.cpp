#include "measurement.hpp"

#include <algorithm>

#include "bench_clock.hpp"

namespace cafio::bench {

snapshot take_snapshot(int server_pid, bool count_fds) {
  snapshot s;
  s.t_ns = now_ns();
  if (server_pid > 0) s.server = sample_process(server_pid, count_fds);
  if (auto self = sample_process(0)) s.self = *self;
  s.machine = sample_machine();
  return s;
}

json cpu_figures(const snapshot& from, const snapshot& to, double units, const char* unit_name,
                 std::size_t client_threads) {
  json out;
  auto wall = static_cast<double>(to.t_ns - from.t_ns) / 1e9;
  out["wall_s"] = wall;
  auto client_cpu = to.self.cpu_seconds - from.self.cpu_seconds;
  out["client_cpu_s"] = client_cpu;
  // 1.0: the load generator's threads were busy the whole time, so the
  // figures may be the generator's limit rather than the server's.
  out["client_busy"] = wall > 0 ? client_cpu / (wall * static_cast<double>(client_threads)) : 0.0;
  out["machine_busy"] = busy_share(from.machine, to.machine);
  // Cores busy on the whole machine, and what neither the server nor the
  // load generator used: other processes disturbing the measurement.
  auto machine_cores = busy_share(from.machine, to.machine) * cpu_count();
  out["machine_cores_busy"] = machine_cores;
  double other = machine_cores - (wall > 0 ? client_cpu / wall : 0.0);
  if (from.server && to.server) {
    auto server_cpu = to.server->cpu_seconds - from.server->cpu_seconds;
    out["server_cpu_s"] = server_cpu;
    out["server_cores_used"] = wall > 0 ? server_cpu / wall : 0.0;
    other -= wall > 0 ? server_cpu / wall : 0.0;
    if (units > 0) out[std::string("server_cpu_us_per_") + unit_name] = server_cpu * 1e6 / units;
  }
  out["other_cores_busy"] = std::max(0.0, other);
  return out;
}

void add_latency(json& metrics, const char* prefix, const latency_histogram& h) {
  auto us = [](std::int64_t ns) { return static_cast<double>(ns) / 1e3; };
  std::string p = prefix;
  metrics[p + "_p50_us"] = us(h.quantile(0.50));
  metrics[p + "_p99_us"] = us(h.quantile(0.99));
  metrics[p + "_max_us"] = us(h.max());
  metrics[p + "_mean_us"] = h.mean() / 1e3;
  metrics[p + "_samples"] = h.count();
}

}  // namespace cafio::bench
