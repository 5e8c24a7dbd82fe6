// fanout, rooms and slowconsumer: senders emit "io-to" into rooms, the server
// broadcasts "m" to every member. Each sender keeps --window messages in
// flight: a message's window slot ("w") frees once every member of its room
// has it, so the load follows the server instead of flooding it.
//
//   fanout        one sender (not a member), --clients members of one room
//   rooms         --clients members over --rooms rooms; the first --senders
//                 members send, each message to a random room
//   slowconsumer  fanout plus one member that stops reading after joining;
//                 the window ignores it
//
// Every member checks every sender's stream: each sequence number once, in
// order, none missing once drained, from its own room, payload intact.
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include <boost/asio/post.hpp>

#include "bench_clock.hpp"
#include "bench_payload.hpp"
#include "client_fleet.hpp"
#include "measurement.hpp"
#include "scenarios.hpp"
#include "sequence_check.hpp"

namespace cafio::bench {

namespace {

struct plan {
  std::size_t members;  // fast members
  std::size_t rooms;
  std::size_t senders;
  bool senders_are_members;
  bool slow_consumer;
  std::size_t payload;
  std::size_t window;
};

struct delivery {
  stamp s;
  bool parsed;
  std::int64_t at;
};

class broadcast_run final : public sio_listener {
 public:
  struct sender_state {
    sender_state(std::size_t index, std::size_t client, std::size_t rooms, std::size_t window)
        : index(index),
          client(client),
          per_room(rooms, 0),
          remaining(new std::atomic<std::int64_t>[window]),
          rng(0x9e3779b97f4a7c15ULL * (index + 1)) {
      for (std::size_t w = 0; w < window; ++w) {
        remaining[w] = 0;
        free_slots.push_back(window - 1 - w);
      }
    }
    std::size_t index;
    std::size_t client;
    std::vector<std::uint64_t> per_room;  // messages sent to each room = next sequence number
    std::unique_ptr<std::atomic<std::int64_t>[]> remaining;  // deliveries missing, per slot
    std::vector<std::size_t> free_slots;                     // sender's thread only
    std::atomic<std::int64_t> in_flight{0};
    std::uint64_t rng;
    std::uint64_t sent = 0;
  };

  struct member_state {
    member_state(std::size_t room, std::size_t senders, fault f)
        : room(room), from(senders), faults(f) {}
    std::size_t room;
    std::vector<sequence_check> from;  // one stream per sender
    std::uint64_t misrouted = 0;
    fault_injector faults;
  };

  struct slot_stats {
    latency_histogram latency;
    std::uint64_t in_window = 0;
    std::uint64_t total = 0;
    std::uint64_t corrupt = 0;
  };

  broadcast_run(const bench_options& o, const plan& p) : o_(o), p_(p), slots_(o.threads) {
    room_size_.assign(p.rooms, 0);
    for (std::size_t i = 0; i < p.members; ++i) {
      members_.push_back(
          std::make_unique<member_state>(i % p.rooms, p.senders, i == 0 ? o.inject : fault::none));
      ++room_size_[i % p.rooms];
    }
    for (std::size_t j = 0; j < p.senders; ++j) {
      auto client = p.senders_are_members ? j : p.members + j;
      senders_.push_back(std::make_unique<sender_state>(j, client, p.rooms, p.window));
    }
    for (std::size_t k = 0; k < p.rooms; ++k) room_names_.push_back("room-" + std::to_string(k));
  }

  // Client layout: members, then the senders that are not members, then the
  // slow consumer.
  std::size_t client_count() const {
    return p_.members + (p_.senders_are_members ? 0 : p_.senders) + (p_.slow_consumer ? 1 : 0);
  }
  std::size_t slow_index() const { return client_count() - 1; }
  bool is_slow(std::size_t i) const { return p_.slow_consumer && i == slow_index(); }
  /// The room a client joins, or -1.
  std::int64_t room_of(std::size_t i) const {
    if (i < p_.members) return static_cast<std::int64_t>(i % p_.rooms);
    return is_slow(i) ? 0 : -1;
  }
  const std::string& room_name(std::size_t k) const { return room_names_[k]; }

  // Set before the first emit is posted, read-only afterwards.
  std::int64_t warm_ns = 0;
  std::int64_t stop_ns = 0;

  std::atomic<std::size_t> joined{0};
  std::atomic<std::size_t> join_failures{0};
  std::atomic<std::size_t> disconnects{0};
  std::atomic<std::uint64_t> slow_received{0};
  std::atomic<bool> slow_closed{false};
  std::mutex reasons_mutex;
  std::vector<std::string> reasons;
  std::string slow_close_reason;
  std::int64_t slow_closed_at = 0;

  void join(sio_client& c) {
    auto k = room_of(c.index());
    if (k < 0) return;
    c.emit_with_ack("[\"join\",\"" + room_names_[static_cast<std::size_t>(k)] + "\"]");
  }

  void start_sending(sio_client& c) {
    for (auto& s : senders_)
      if (s->client == c.index()) send_more(c, *s);
  }

  void on_ack(sio_client& c, std::uint64_t, std::string_view payload) override {
    // The only acks are the joins'.
    if (payload.find("\"ok\"") != std::string_view::npos)
      ++joined;
    else
      ++join_failures;
    if (is_slow(c.index())) c.pause_reading();
  }

  void on_event(sio_client& c, std::string_view payload) override {
    delivery d{{}, false, now_ns()};
    d.parsed = read_event(payload, "m", d.s);
    if (is_slow(c.index())) {
      ++slow_received;
      return;
    }
    if (c.index() >= p_.members) {  // a sender that is no member gets nothing
      ++slots_[slot(c)].corrupt;
      return;
    }
    auto& m = *members_[c.index()];
    m.faults.pass(d.s.f, d, [&](const delivery& x) { process(c, m, x); });
  }

  void on_closed(sio_client& c, const std::string& reason) override {
    if (is_slow(c.index())) {
      slow_close_reason = reason;  // read after the pool synced
      slow_closed_at = now_ns();
      slow_closed = true;
      return;
    }
    ++disconnects;
    std::lock_guard<std::mutex> guard{reasons_mutex};
    if (reasons.size() < 5) reasons.push_back(reason);
  }

  std::int64_t in_flight() const {
    std::int64_t n = 0;
    for (auto& s : senders_) n += s->in_flight.load();
    return n;
  }

  const std::vector<std::unique_ptr<member_state>>& members() const { return members_; }
  const std::vector<std::unique_ptr<sender_state>>& senders() const { return senders_; }
  const std::vector<slot_stats>& slots() const { return slots_; }
  std::size_t slot(const sio_client& c) const { return c.index() % o_.threads; }

  void set_fleet(client_fleet* f) { fleet_ = f; }

 private:
  void send_more(sio_client& c, sender_state& s) {
    while (!s.free_slots.empty() && c.connected()) {
      auto now = now_ns();
      if (now >= stop_ns) return;
      auto w = s.free_slots.back();
      s.free_slots.pop_back();
      std::size_t room = 0;
      if (p_.rooms > 1) {
        s.rng ^= s.rng << 13;  // xorshift64
        s.rng ^= s.rng >> 7;
        s.rng ^= s.rng << 17;
        room = static_cast<std::size_t>(s.rng % p_.rooms);
      }
      stamp st;
      st.t = now;
      st.s = static_cast<std::int64_t>(s.per_room[room]++);
      if (p_.senders > 1) st.f = static_cast<std::int64_t>(s.index);
      if (p_.rooms > 1) st.r = static_cast<std::int64_t>(room);
      st.w = static_cast<std::int64_t>(w);
      s.remaining[w] = static_cast<std::int64_t>(room_size_[room]);
      ++s.in_flight;
      ++s.sent;
      std::string text = "[\"io-to\",\"";
      text += room_names_[room];
      text += "\",\"m\",";
      text += make_payload(st, p_.payload);
      text += ']';
      c.emit(text);
    }
  }

  void process(sio_client& c, member_state& m, const delivery& d) {
    auto& stats = slots_[slot(c)];
    auto f = d.s.f < 0 ? 0 : static_cast<std::size_t>(d.s.f);
    auto r = d.s.r < 0 ? 0 : static_cast<std::size_t>(d.s.r);
    if (!d.parsed || f >= senders_.size() || d.s.w < 0 ||
        static_cast<std::size_t>(d.s.w) >= p_.window) {
      ++stats.corrupt;
      return;
    }
    if (r != m.room) {
      ++m.misrouted;
      return;
    }
    bool whole = intact(d.s, p_.payload);
    if (!whole) ++stats.corrupt;
    if (!m.from[f].arrive(d.s.s)) return;  // a duplicate: counted, no credit
    ++stats.total;
    if (d.at >= warm_ns && d.at < stop_ns) ++stats.in_window;
    if (whole && d.s.t >= warm_ns && d.at < stop_ns) stats.latency.record(d.at - d.s.t);
    auto& s = *senders_[f];
    auto w = static_cast<std::size_t>(d.s.w);
    if (s.remaining[w].fetch_sub(1) != 1) return;
    // The last member of the room got it: the slot is free again.
    if (slot(c) == s.client % o_.threads) {
      slot_freed(s, w);
    } else {
      boost::asio::post((*fleet_)[s.client].context(), [this, &s, w] { slot_freed(s, w); });
    }
  }

  void slot_freed(sender_state& s, std::size_t w) {
    s.free_slots.push_back(w);
    --s.in_flight;
    send_more((*fleet_)[s.client], s);
  }

  const bench_options& o_;
  plan p_;
  client_fleet* fleet_ = nullptr;
  std::vector<std::size_t> room_size_;
  std::vector<std::string> room_names_;
  std::vector<std::unique_ptr<member_state>> members_;
  std::vector<std::unique_ptr<sender_state>> senders_;
  std::vector<slot_stats> slots_;
};

plan plan_of(const bench_options& o) {
  plan p{};
  p.payload = o.payload ? o.payload : 100;
  if (o.scenario == "rooms") {
    p.members = o.clients ? o.clients : 1000;
    p.rooms = std::min(o.rooms, p.members);
    p.senders = std::min(o.senders, p.members);
    p.senders_are_members = true;
    p.window = o.window ? o.window : 32;
  } else {
    p.members = o.clients ? o.clients : (o.scenario == "fanout" ? 1000 : 100);
    p.rooms = 1;
    p.senders = 1;
    p.senders_are_members = false;
    p.slow_consumer = o.scenario == "slowconsumer";
    p.window = o.window ? o.window : 16;
    if (p.slow_consumer && !o.payload) p.payload = 4096;
  }
  return p;
}

}  // namespace

json run_broadcast(const bench_options& o) {
  auto p = plan_of(o);
  json result;
  result["params"] = {
      {"members", p.members},       {"rooms", p.rooms},     {"senders", p.senders},
      {"payload_bytes", p.payload}, {"window", p.window},   {"slow_consumer", p.slow_consumer},
      {"duration_s", o.duration},   {"warmup_s", o.warmup}, {"threads", o.threads}};
  io_pool pool{o.threads};
  broadcast_run run{o, p};
  client_fleet fleet{pool, o, &run};
  run.set_fleet(&fleet);
  for (std::size_t i = 0; i < run.client_count(); ++i)
    fleet.add(run.is_slow(i) ? 4096 : 0);  // the kernel makes it ~4.5 KB

  auto fail = [&](const std::string& error) {
    fleet.abort_all();
    pool.stop();
    result["error"] = error;
    result["checks"] = {{"ok", false}};
    return result;
  };
  auto report = fleet.connect_all(o.concurrency, 60000);
  if (report.ok != fleet.size())
    return fail("only " + std::to_string(report.ok) + " of " + std::to_string(fleet.size()) +
                " clients connected");
  std::size_t joiners = p.members + (p.slow_consumer ? 1 : 0);
  fleet.for_each([&run](sio_client& c) { run.join(c); });
  if (!wait_for([&] { return run.joined.load() + run.join_failures.load() >= joiners; }, 30000) ||
      run.join_failures.load() > 0)
    return fail(std::to_string(run.joined.load()) + " of " + std::to_string(joiners) +
                " clients joined their room");

  auto started = now_ns();
  run.warm_ns = started + static_cast<std::int64_t>(o.warmup * 1e9);
  run.stop_ns = run.warm_ns + static_cast<std::int64_t>(o.duration * 1e9);
  auto first = take_snapshot(o.server_pid, p.slow_consumer);
  fleet.for_each([&run](sio_client& c) { run.start_sending(c); });

  // The server over time (slowconsumer), bounded by the run's length.
  json series = json::array();
  auto sample = [&](const snapshot& s) {
    if (s.server)
      series.push_back({{"t_s", static_cast<double>(s.t_ns - started) / 1e9},
                        {"rss_kb", s.server->rss_kb},
                        {"fds", s.server->fds},
                        {"slow_received", run.slow_received.load()}});
  };
  if (p.slow_consumer) {
    sample(first);
    auto period = o.sample_ms * 1000000;
    for (auto t = started + period; t < run.warm_ns; t += period) {
      sleep_until_ns(t);
      sample(take_snapshot(o.server_pid, true));
    }
  }
  sleep_until_ns(run.warm_ns);
  auto from = take_snapshot(o.server_pid, p.slow_consumer);
  if (p.slow_consumer) {
    sample(from);
    auto period = o.sample_ms * 1000000;
    for (auto t = run.warm_ns + period; t < run.stop_ns; t += period) {
      sleep_until_ns(t);
      sample(take_snapshot(o.server_pid, true));
    }
  }
  sleep_until_ns(run.stop_ns);
  auto to = take_snapshot(o.server_pid, p.slow_consumer);
  if (p.slow_consumer) sample(to);
  bool drained = wait_for([&] { return run.in_flight() <= 0; }, 3000);

  json metrics;
  json slow;
  if (p.slow_consumer) {
    // Wake the slow consumer: what does it still get, does the stream end?
    auto before_wake = run.slow_received.load();
    slow["received_before_wake"] = before_wake;
    slow["closed_before_wake"] = run.slow_closed.load();
    fleet.for_each([&run](sio_client& c) {
      if (run.is_slow(c.index())) c.resume_reading();
    });
    auto woke = now_ns();
    wait_for([&] { return run.slow_closed.load(); }, 5000, 10);
    auto after = take_snapshot(o.server_pid, true);
    sample(after);
    slow["received_after_wake"] = run.slow_received.load() - before_wake;
    slow["closed_after_wake"] = run.slow_closed.load();
    if (run.slow_closed.load()) {
      fleet.for_each([&](sio_client& c) {
        if (run.is_slow(c.index())) slow["close_reason"] = run.slow_close_reason;
      });
      slow["closed_s_after_wake"] = static_cast<double>(run.slow_closed_at - woke) / 1e9;
    }
    std::int64_t peak = 0, fds_first = first.server ? first.server->fds : 0;
    json fd_drop_at;  // null: the server never closed a connection
    for (auto& s : series) {
      peak = std::max(peak, s["rss_kb"].get<std::int64_t>());
      if (fd_drop_at.is_null() && s["fds"].get<std::int64_t>() < fds_first) fd_drop_at = s["t_s"];
    }
    auto rss = [](const snapshot& s) { return s.server ? json(s.server->rss_kb) : json(); };
    metrics["server_rss_start_kb"] = rss(first);
    metrics["server_rss_peak_kb"] = peak;
    metrics["server_rss_end_kb"] = rss(to);
    metrics["server_alive_at_end"] = after.server.has_value();
    // The server closing a socket shows as one descriptor fewer.
    slow["server_closed_a_connection_at_s"] = fd_drop_at;
    metrics["slow_consumer"] = slow;
    metrics["series"] = series;
  }

  latency_histogram latency;
  std::uint64_t in_window = 0, total = 0, corrupt = 0, sent = 0;
  std::uint64_t lost = 0, duplicates = 0, out_of_order = 0, misrouted = 0, invalid = 0;
  std::mutex merge_mutex;
  fleet.for_each([&](sio_client& c) {
    std::lock_guard<std::mutex> guard{merge_mutex};
    auto i = c.index();
    if (i < o.threads) {
      auto& s = run.slots()[i];
      latency.merge(s.latency);
      in_window += s.in_window;
      total += s.total;
      corrupt += s.corrupt;
    }
    if (i >= p.members) return;
    auto& m = *run.members()[i];
    misrouted += m.misrouted;
    for (std::size_t j = 0; j < m.from.size(); ++j) {
      // Senders' counters settled: nothing is sent after stop_ns, and the
      // pool's sync orders this read after the sender's writes.
      auto expected = run.senders()[j]->per_room[m.room];
      lost += m.from[j].lost(expected);
      duplicates += m.from[j].duplicates();
      out_of_order += m.from[j].out_of_order();
      invalid += m.from[j].invalid();
    }
  });
  for (auto& s : run.senders()) sent += s->sent;
  fleet.abort_all();
  pool.stop();

  metrics["deliveries_per_s"] = static_cast<double>(in_window) / o.duration;
  add_latency(metrics, "latency", latency);
  metrics["deliveries_measured"] = in_window;
  metrics["deliveries_total"] = total;
  metrics["messages_sent"] = sent;
  metrics["cpu"] = cpu_figures(from, to, static_cast<double>(in_window), "delivery", o.threads);
  result["metrics"] = metrics;

  json checks;
  checks["lost"] = lost;
  checks["duplicates"] = duplicates;
  checks["out_of_order"] = out_of_order;
  checks["misrouted"] = misrouted;
  checks["corrupt"] = corrupt + invalid;
  checks["disconnects"] = run.disconnects.load();
  checks["drained"] = drained;
  checks["disconnect_reasons"] = run.reasons;
  checks["ok"] = lost == 0 && duplicates == 0 && out_of_order == 0 && misrouted == 0 &&
                 corrupt + invalid == 0 && run.disconnects.load() == 0 && drained && in_window > 0;
  result["checks"] = checks;
  return result;
}

}  // namespace cafio::bench
