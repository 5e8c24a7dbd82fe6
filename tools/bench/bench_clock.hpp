// The load generator's one clock: nanoseconds of std::chrono::steady_clock
// since the process started. Every timestamp in a payload uses it, so the
// values stay small integers (exact in a JavaScript number) and a latency is
// a plain difference — sender and receiver share the process.
#pragma once

#include <chrono>
#include <cstdint>
#include <thread>

namespace cafio::bench {

inline std::chrono::steady_clock::time_point clock_origin() {
  static const auto origin = std::chrono::steady_clock::now();
  return origin;
}

inline std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                              clock_origin())
      .count();
}

inline void sleep_until_ns(std::int64_t t) {
  std::this_thread::sleep_until(clock_origin() + std::chrono::nanoseconds(t));
}

/// Polls `done` every `poll_ms` until it holds or `timeout_ms` passed.
template <class Predicate>
bool wait_for(Predicate done, std::int64_t timeout_ms, std::int64_t poll_ms = 5) {
  auto deadline = now_ns() + timeout_ms * 1000000;
  while (!done()) {
    if (now_ns() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(poll_ms));
  }
  return true;
}

}  // namespace cafio::bench
