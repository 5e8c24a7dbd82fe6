// connect (and hold): opens --clients connections, --concurrency at a time,
// each through TCP, the WebSocket upgrade, Engine.IO OPEN and Socket.IO
// CONNECT; keeps them idle for --hold seconds (answering pings), then reads
// the server's RSS: (RSS with them - RSS before) / connections.
#include <atomic>
#include <thread>

#include "bench_clock.hpp"
#include "client_fleet.hpp"
#include "measurement.hpp"
#include "scenarios.hpp"

namespace cafio::bench {

namespace {

/// Counts connections the server ends while they should be idle.
class idle_listener final : public sio_listener {
 public:
  void on_event(sio_client&, std::string_view) override { ++events; }
  void on_ack(sio_client&, std::uint64_t, std::string_view) override { ++events; }
  void on_closed(sio_client&, const std::string&) override { ++closed; }
  std::atomic<std::size_t> events{0};
  std::atomic<std::size_t> closed{0};
};

}  // namespace

json run_connect(const bench_options& o) {
  bool hold = o.scenario == "hold";
  auto n = o.clients ? o.clients : (hold ? 100000 : 10000);
  json result;
  result["params"] = {{"clients", n},
                      {"concurrency", o.concurrency},
                      {"hold_s", o.hold},
                      {"sources", "127.0.0." + std::to_string(o.source_first) + "-" +
                                      std::to_string(o.source_last)},
                      {"threads", o.threads}};
  io_pool pool{o.threads};
  idle_listener listener;
  client_fleet fleet{pool, o, &listener};
  for (std::size_t i = 0; i < n; ++i) fleet.add();

  // Let the freshly started server settle before the baseline.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto before = take_snapshot(o.server_pid, true);
  // 2 ms per connection, at least 30 s: a generous upper bound.
  auto timeout_ms = std::max<std::int64_t>(30000, static_cast<std::int64_t>(n) * 2);
  auto report = fleet.connect_all(o.concurrency, timeout_ms);
  auto connected = take_snapshot(o.server_pid, true);

  json metrics;
  metrics["connected"] = report.ok;
  metrics["failed"] = report.failed + report.timed_out;
  metrics["connect_s"] = report.seconds;
  metrics["conn_per_s"] = report.seconds > 0 ? static_cast<double>(report.ok) / report.seconds : 0;
  add_latency(metrics, "connect", report.latency);
  auto cpu = cpu_figures(before, connected, static_cast<double>(report.ok), "conn", o.threads);
  metrics["connect_cpu"] = cpu;

  // Idle, answering pings; then RSS with every connection open.
  sleep_until_ns(connected.t_ns + static_cast<std::int64_t>(o.hold * 1e9));
  auto held = take_snapshot(o.server_pid, true);
  if (before.server && held.server && report.ok > 0) {
    metrics["server_rss_before_kb"] = before.server->rss_kb;
    metrics["server_rss_held_kb"] = held.server->rss_kb;
    metrics["server_fds_held"] = held.server->fds;
    metrics["server_rss_per_conn_kb"] =
        static_cast<double>(held.server->rss_kb - before.server->rss_kb) /
        static_cast<double>(report.ok);
    metrics["server_idle_cpu_s"] = held.server->cpu_seconds - connected.server->cpu_seconds;
  }
  if (auto self = sample_process(0)) metrics["client_rss_kb"] = self->rss_kb;
  std::atomic<std::size_t> counted{0};
  fleet.for_each([&counted](sio_client& c) { counted += c.connected() ? 1 : 0; });
  auto still = counted.load();
  metrics["still_connected"] = still;

  fleet.abort_all();
  pool.stop();
  // What the server gives back once every connection is gone (informational).
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  auto after = take_snapshot(o.server_pid, true);
  if (after.server) {
    metrics["server_rss_after_close_kb"] = after.server->rss_kb;
    metrics["server_fds_after_close"] = after.server->fds;
  }
  result["metrics"] = metrics;

  json errors = json::object();
  for (auto& [text, count] : report.errors) errors[text] = count;
  auto lost = report.ok - std::min(report.ok, still);
  result["checks"] = {{"connect_failures", report.failed + report.timed_out},
                      {"connect_errors", errors},
                      {"dropped_while_idle", lost},
                      {"unexpected_packets", listener.events.load()},
                      {"ok", report.ok == n && lost == 0 && listener.events.load() == 0}};
  if (report.ok == 0) result["error"] = "no connection succeeded";
  return result;
}

}  // namespace cafio::bench
