#include "io_pool.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>

#include <boost/asio/post.hpp>

namespace cafio::bench {

io_pool::io_pool(std::size_t threads) {
  threads = threads == 0 ? 1 : threads;
  for (std::size_t i = 0; i < threads; ++i) {
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    guards_.push_back(boost::asio::make_work_guard(*contexts_.back()));
  }
  for (std::size_t i = 0; i < threads; ++i)
    threads_.emplace_back([ctx = contexts_[i].get()] { ctx->run(); });
}

io_pool::~io_pool() {
  stop();
}

bool io_pool::sync(const std::function<void(std::size_t)>& fn, std::chrono::milliseconds timeout) {
  struct barrier {
    std::mutex mutex;
    std::condition_variable done;
    std::size_t remaining;
  };
  auto b = std::make_shared<barrier>();
  b->remaining = size();
  for (std::size_t slot = 0; slot < size(); ++slot) {
    boost::asio::post(*contexts_[slot], [b, slot, fn] {
      fn(slot);
      std::lock_guard<std::mutex> guard{b->mutex};
      if (--b->remaining == 0) b->done.notify_all();
    });
  }
  std::unique_lock<std::mutex> lock{b->mutex};
  return b->done.wait_for(lock, timeout, [&] { return b->remaining == 0; });
}

void io_pool::stop(std::chrono::milliseconds grace) {
  if (threads_.empty()) return;
  guards_.clear();
  // Each context returns from run() once its clients' handlers are done.
  auto deadline = std::chrono::steady_clock::now() + grace;
  for (auto& ctx : contexts_) {
    while (!ctx->stopped() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (auto& ctx : contexts_) ctx->stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

}  // namespace cafio::bench
