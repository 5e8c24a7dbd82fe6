#include "actors/messages.hpp"

#include <atomic>

namespace cafio {

std::uint64_t next_broadcast_id() {
  static std::atomic<std::uint64_t> counter{1};
  return counter.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace cafio
