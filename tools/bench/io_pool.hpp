// The load generator's threads: one io_context per thread, so that a client
// and everything it touches live on one thread and need no locks. Client i
// belongs to slot i % size(); per-slot statistics are read through sync().
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace cafio::bench {

class io_pool {
 public:
  explicit io_pool(std::size_t threads);
  ~io_pool();
  io_pool(const io_pool&) = delete;
  io_pool& operator=(const io_pool&) = delete;

  std::size_t size() const { return contexts_.size(); }
  boost::asio::io_context& context(std::size_t slot) { return *contexts_[slot % size()]; }

  /// Runs fn(slot) on every slot's thread and waits for all of them (at most
  /// `timeout`); returns false on timeout.
  bool sync(const std::function<void(std::size_t slot)>& fn,
            std::chrono::milliseconds timeout = std::chrono::seconds(10));

  /// Lets the threads run out of work (at most `grace`), then stops and
  /// joins them. Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

 private:
  using work_guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<work_guard> guards_;
  std::vector<std::thread> threads_;
};

}  // namespace cafio::bench
