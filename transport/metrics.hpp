// Counters and gauges for Prometheus, kept as relaxed atomics by whoever
// counts (transport actors, socket/room/namespace actors) and rendered in
// the Prometheus text format on request. No lock on any counting path; a
// mutex only guards the list of namespaces (added at creation, read when
// rendering).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cafio {

class metrics {
 public:
  enum transport_index : std::size_t { polling = 0, websocket = 1 };
  enum protocol_index : std::size_t { eio3 = 0, eio4 = 1 };

  /// Per-namespace gauges, owned by the namespace actor.
  struct namespace_gauges {
    explicit namespace_gauges(std::string n) : name(std::move(n)) {}
    const std::string name;
    std::atomic<std::int64_t> sockets{0};
    std::atomic<std::int64_t> rooms{0};
  };

  // Engine.IO connections open now, by transport and protocol.
  std::array<std::array<std::atomic<std::int64_t>, 2>, 2> clients{};
  // Engine.IO message packets and their bytes.
  std::atomic<std::uint64_t> packets_in{0};
  std::atomic<std::uint64_t> packets_out{0};
  std::atomic<std::uint64_t> bytes_in{0};
  std::atomic<std::uint64_t> bytes_out{0};
  std::atomic<std::uint64_t> volatile_dropped{0};
  // Handshakes refused, by engine.io error code 0-5.
  std::array<std::atomic<std::uint64_t>, 6> handshake_errors{};
  std::atomic<std::uint64_t> broadcasts{0};
  std::atomic<std::uint64_t> deliveries{0};
  // Socket disconnects by reason (the index of cafio::disconnect_reason).
  std::array<std::atomic<std::uint64_t>, 16> disconnects{};

  std::shared_ptr<namespace_gauges> add_namespace(std::string name);

  /// The Prometheus text exposition. `reason_names[i]` labels disconnects[i].
  std::string render(const std::vector<std::string>& reason_names) const;

  static void add(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) noexcept {
    counter.fetch_add(n, std::memory_order_relaxed);
  }
  static void add(std::atomic<std::int64_t>& gauge, std::int64_t n) noexcept {
    gauge.fetch_add(n, std::memory_order_relaxed);
  }

 private:
  mutable std::mutex namespaces_mutex_;
  std::vector<std::weak_ptr<namespace_gauges>> namespaces_;
};

using metrics_ptr = std::shared_ptr<metrics>;

}  // namespace cafio
