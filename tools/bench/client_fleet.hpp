// The load generator's connections: made on the io_pool's threads (client i
// on slot i % threads), connected with bounded concurrency, aborted at the
// end of a scenario.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bench_options.hpp"
#include "io_pool.hpp"
#include "latency_histogram.hpp"
#include "sio_client.hpp"

namespace cafio::bench {

struct connect_report {
  std::size_t ok = 0;
  std::size_t failed = 0;
  std::size_t timed_out = 0;
  /// From the first connect started to the last one completed.
  double seconds = 0;
  latency_histogram latency;  // TCP connect to Socket.IO CONNECT answer
  std::map<std::string, std::size_t> errors;
};

class client_fleet {
 public:
  client_fleet(io_pool& pool, const bench_options& options, sio_listener* listener);
  ~client_fleet();

  /// Adds a client; `receive_buffer` > 0 sets a small SO_RCVBUF. Source
  /// addresses rotate over --sources.
  sio_client& add(int receive_buffer = 0);
  std::size_t size() const { return clients_.size(); }
  sio_client& operator[](std::size_t i) { return *clients_[i]; }
  std::size_t slot_of(std::size_t i) const { return i % pool_.size(); }

  /// Connects every client added so far, `concurrency` at a time, waiting at
  /// most `timeout_ms` for all of them.
  connect_report connect_all(std::size_t concurrency, std::int64_t timeout_ms);

  /// Runs fn(client) on each client's own thread and waits.
  void for_each(const std::function<void(sio_client&)>& fn);

  /// Aborts every connection (RST) on its own thread and waits.
  void abort_all();

 private:
  void launch();

  io_pool& pool_;
  sio_listener* listener_;
  std::deque<client_options> variants_;  // stable addresses: clients keep a reference
  std::size_t sources_;
  std::vector<std::shared_ptr<sio_client>> clients_;

  // connect_all's progress.
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> ok_{0};
  std::atomic<std::size_t> failed_{0};
  std::atomic<std::int64_t> last_done_ns_{0};
  std::vector<latency_histogram> latency_;  // per slot
  std::mutex errors_mutex_;
  std::map<std::string, std::size_t> errors_;
};

}  // namespace cafio::bench
