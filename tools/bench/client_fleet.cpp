#include "client_fleet.hpp"

#include <boost/asio/post.hpp>

#include "bench_clock.hpp"

namespace cafio::bench {

namespace asio = boost::asio;

client_fleet::client_fleet(io_pool& pool, const bench_options& o, sio_listener* listener)
    : pool_(pool), listener_(listener), sources_(o.source_last - o.source_first + 1) {
  auto server = asio::ip::tcp::endpoint(asio::ip::make_address(o.host), o.port);
  for (unsigned a = o.source_first; a <= o.source_last; ++a) {
    client_options c;
    c.server = server;
    c.host_header = o.host + ":" + std::to_string(o.port);
    c.path = o.path;
    // One source address only: let the kernel choose, as any client would.
    if (sources_ > 1) c.source = asio::ip::make_address("127.0.0." + std::to_string(a));
    variants_.push_back(c);
  }
  latency_.resize(pool.size());
}

client_fleet::~client_fleet() = default;

sio_client& client_fleet::add(int receive_buffer) {
  auto index = clients_.size();
  const client_options* options = &variants_[index % sources_];
  if (receive_buffer > 0) {
    auto c = *options;
    c.receive_buffer = receive_buffer;
    variants_.push_back(c);
    options = &variants_.back();
  }
  clients_.push_back(
      std::make_shared<sio_client>(pool_.context(slot_of(index)), *options, listener_, index));
  return *clients_.back();
}

void client_fleet::launch() {
  auto index = next_.fetch_add(1);
  if (index >= clients_.size()) return;
  auto client = clients_[index];
  auto slot = slot_of(index);
  asio::post(client->context(), [this, client, slot] {
    auto started = now_ns();
    client->connect([this, started, slot](sio_client&, const std::string& error) {
      auto done = now_ns();
      if (error.empty()) {
        latency_[slot].record(done - started);
        auto last = last_done_ns_.load();
        while (last < done && !last_done_ns_.compare_exchange_weak(last, done)) {
        }
        ok_.fetch_add(1);
      } else {
        {
          std::lock_guard<std::mutex> guard{errors_mutex_};
          ++errors_[error];
        }
        failed_.fetch_add(1);
      }
      launch();
    });
  });
}

connect_report client_fleet::connect_all(std::size_t concurrency, std::int64_t timeout_ms) {
  next_ = 0;
  ok_ = 0;
  failed_ = 0;
  auto total = clients_.size();
  auto started = now_ns();
  last_done_ns_ = started;
  for (std::size_t i = 0; i < concurrency && i < total; ++i) launch();
  bool all = wait_for([&] { return ok_.load() + failed_.load() >= total; }, timeout_ms, 2);
  connect_report r;
  if (!all) {
    // Stop the stragglers (and everything not started yet) before reading.
    next_ = total;
    for_each([](sio_client& c) {
      if (!c.connected()) c.abort();
    });
  }
  r.ok = ok_.load();
  r.failed = failed_.load();
  r.timed_out = total - r.ok - r.failed;
  r.seconds = static_cast<double>(last_done_ns_.load() - started) / 1e9;
  pool_.sync([&](std::size_t slot) {
    // On the slot's own thread: its histogram is not being written now.
    std::lock_guard<std::mutex> guard{errors_mutex_};
    r.latency.merge(latency_[slot]);
    latency_[slot] = latency_histogram{};
  });
  {
    std::lock_guard<std::mutex> guard{errors_mutex_};
    r.errors = errors_;
    errors_.clear();
  }
  return r;
}

void client_fleet::for_each(const std::function<void(sio_client&)>& fn) {
  pool_.sync(
      [&](std::size_t slot) {
        for (std::size_t i = slot; i < clients_.size(); i += pool_.size()) fn(*clients_[i]);
      },
      std::chrono::seconds(60));
}

void client_fleet::abort_all() {
  for_each([](sio_client& c) { c.abort(); });
}

}  // namespace cafio::bench
