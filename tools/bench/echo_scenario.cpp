// echo: --clients clients each keep --window emits of "message-with-ack" in
// flight; every ack must echo the emitted object (its "s" is the ack id) and
// come once, in order. Acks/s and the round trip (from the "t" it carries).
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "bench_clock.hpp"
#include "bench_payload.hpp"
#include "client_fleet.hpp"
#include "measurement.hpp"
#include "scenarios.hpp"
#include "sequence_check.hpp"

namespace cafio::bench {

namespace {

struct ack_item {
  std::uint64_t id;
  bool parsed;
  stamp s;
  std::int64_t at;
};

class echo_run final : public sio_listener {
 public:
  echo_run(const bench_options& o, std::size_t clients, std::size_t window, std::size_t payload)
      : o_(o), window_(window), payload_(payload), slots_(o.threads) {
    for (std::size_t i = 0; i < clients; ++i)
      states_.push_back(std::make_unique<client_state>(i == 0 ? o.inject : fault::none));
  }

  // Set before the first emit is posted, read-only afterwards.
  std::int64_t warm_ns = 0;
  std::int64_t stop_ns = 0;
  std::atomic<std::int64_t> outstanding{0};
  std::atomic<std::size_t> disconnects{0};
  std::mutex reasons_mutex;
  std::vector<std::string> reasons;

  struct client_state {
    explicit client_state(fault f) : faults(f) {}
    sequence_check acks;
    std::uint64_t sent = 0;
    std::uint64_t unexpected = 0;
    fault_injector faults;
  };
  struct slot_stats {
    latency_histogram rtt;
    std::uint64_t acks_in_window = 0;
    std::uint64_t acks_total = 0;
    std::uint64_t corrupt = 0;
  };

  void start(sio_client& c) {
    for (std::size_t i = 0; i < window_; ++i) send(c, *states_[c.index()]);
  }

  void on_event(sio_client& c, std::string_view) override { ++slots_[slot(c)].corrupt; }

  void on_ack(sio_client& c, std::uint64_t id, std::string_view payload) override {
    ack_item item{id, false, {}, now_ns()};
    item.parsed = read_ack(payload, item.s);
    auto& st = *states_[c.index()];
    st.faults.pass(0, item, [&](const ack_item& a) { process(c, st, a); });
  }

  void on_closed(sio_client&, const std::string& reason) override {
    ++disconnects;
    std::lock_guard<std::mutex> guard{reasons_mutex};
    if (reasons.size() < 5) reasons.push_back(reason);
  }

  const std::vector<std::unique_ptr<client_state>>& states() const { return states_; }
  const std::vector<slot_stats>& slots() const { return slots_; }

 private:
  std::size_t slot(const sio_client& c) const { return c.index() % o_.threads; }

  void send(sio_client& c, client_state& st) {
    stamp s;
    s.t = now_ns();
    s.s = static_cast<std::int64_t>(st.sent);
    std::string text = "[\"message-with-ack\",";
    text += make_payload(s, payload_);
    text += ']';
    c.emit_with_ack(text);  // the ack id is st.sent: this client emits nothing else
    ++st.sent;
    ++outstanding;
  }

  void process(sio_client& c, client_state& st, const ack_item& a) {
    auto& stats = slots_[slot(c)];
    bool whole = a.parsed && a.s.s == static_cast<std::int64_t>(a.id) && intact(a.s, payload_);
    if (!whole) ++stats.corrupt;
    if (a.id >= st.sent) {
      ++st.unexpected;
      return;
    }
    if (!st.acks.arrive(static_cast<std::int64_t>(a.id))) return;
    --outstanding;
    ++stats.acks_total;
    if (a.at >= warm_ns && a.at < stop_ns) ++stats.acks_in_window;
    if (whole && a.s.t >= warm_ns && a.at < stop_ns) stats.rtt.record(a.at - a.s.t);
    if (a.at < stop_ns && c.connected()) send(c, st);
  }

  const bench_options& o_;
  std::size_t window_;
  std::size_t payload_;
  std::vector<std::unique_ptr<client_state>> states_;
  std::vector<slot_stats> slots_;
};

}  // namespace

json run_echo(const bench_options& o) {
  auto n = o.clients ? o.clients : 100;
  auto window = o.window ? o.window : 16;
  auto payload = o.payload ? o.payload : 100;
  json result;
  result["params"] = {{"clients", n},
                      {"window", window},
                      {"payload_bytes", payload},
                      {"duration_s", o.duration},
                      {"warmup_s", o.warmup},
                      {"threads", o.threads}};
  io_pool pool{o.threads};
  echo_run run{o, n, window, payload};
  client_fleet fleet{pool, o, &run};
  for (std::size_t i = 0; i < n; ++i) fleet.add();
  auto report = fleet.connect_all(o.concurrency, 60000);
  if (report.ok != n) {
    fleet.abort_all();
    pool.stop();
    result["error"] =
        "only " + std::to_string(report.ok) + " of " + std::to_string(n) + " clients connected";
    result["checks"] = {{"ok", false}, {"connect_failures", n - report.ok}};
    return result;
  }

  auto started = now_ns();
  run.warm_ns = started + static_cast<std::int64_t>(o.warmup * 1e9);
  run.stop_ns = run.warm_ns + static_cast<std::int64_t>(o.duration * 1e9);
  fleet.for_each([&run](sio_client& c) { run.start(c); });
  sleep_until_ns(run.warm_ns);
  auto from = take_snapshot(o.server_pid);
  sleep_until_ns(run.stop_ns);
  auto to = take_snapshot(o.server_pid);
  bool drained = wait_for([&] { return run.outstanding.load() <= 0; }, 3000);

  json metrics;
  json checks;
  latency_histogram rtt;
  std::uint64_t in_window = 0, total = 0, corrupt = 0;
  std::uint64_t sent = 0, lost = 0, duplicates = 0, out_of_order = 0, unexpected = 0;
  fleet.for_each([&](sio_client& c) {
    // Per-client state on the client's own thread; slot stats once per slot.
    auto& st = *run.states()[c.index()];
    std::lock_guard<std::mutex> guard{run.reasons_mutex};
    sent += st.sent;
    lost += st.acks.lost(st.sent);
    duplicates += st.acks.duplicates();
    out_of_order += st.acks.out_of_order();
    unexpected += st.unexpected + st.acks.invalid();
    if (c.index() < o.threads) {
      auto& s = run.slots()[c.index()];
      rtt.merge(s.rtt);
      in_window += s.acks_in_window;
      total += s.acks_total;
      corrupt += s.corrupt;
    }
  });
  fleet.abort_all();
  pool.stop();

  metrics["acks_per_s"] = static_cast<double>(in_window) / o.duration;
  add_latency(metrics, "rtt", rtt);
  metrics["acks_measured"] = in_window;
  metrics["emits_sent"] = sent;
  metrics["cpu"] = cpu_figures(from, to, static_cast<double>(in_window), "ack", o.threads);
  result["metrics"] = metrics;
  checks["lost"] = lost;
  checks["duplicates"] = duplicates;
  checks["out_of_order"] = out_of_order;
  checks["corrupt"] = corrupt;
  checks["unexpected_acks"] = unexpected;
  checks["disconnects"] = run.disconnects.load();
  checks["drained"] = drained;
  checks["disconnect_reasons"] = run.reasons;
  checks["ok"] = lost == 0 && duplicates == 0 && out_of_order == 0 && corrupt == 0 &&
                 unexpected == 0 && run.disconnects.load() == 0 && drained && in_window > 0;
  result["checks"] = checks;
  return result;
}

}  // namespace cafio::bench
