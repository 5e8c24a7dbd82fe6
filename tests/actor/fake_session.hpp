// A stand-in for an Engine.IO session (the transport actor): it hosts the
// Socket.IO client as a real session does, and records, in order, every
// packet and close request the Socket.IO layer hands it. No network, no
// Beast.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>

#include "transport/session_upper.hpp"

namespace cafio::test {

/// How long any test waits for something to happen before failing.
inline constexpr std::chrono::milliseconds wait_limit{2000};

/// One thing a session was asked to do.
struct session_record {
  enum class kind : std::uint8_t { text, binary, close };
  /// Taken from a counter shared by every session of a test when the request
  /// was enqueued, so that records of different sessions can be ordered.
  std::uint64_t seq = 0;
  kind what = kind::text;
  /// text: the Engine.IO message as a WebSocket text frame, e.g. `42["ev",1]`;
  /// binary: the attachment's bytes; close: empty.
  std::string data;
};

/// What one fake session recorded. Thread-safe.
class session_log {
 public:
  explicit session_log(std::shared_ptr<std::atomic<std::uint64_t>> clock);

  void record_outgoing(const transport::outgoing& out);
  void record_close();

  std::vector<session_record> records() const;
  /// The text frames only, in order.
  std::vector<std::string> texts() const;
  /// How many text frames equal `text`.
  std::size_t count_text(const std::string& text) const;

  /// How many records there are so far.
  std::size_t size() const;

  /// The first record from index `from` on for which `pred` holds, waiting
  /// for it (bounded).
  std::optional<session_record> wait_for(std::function<bool(const session_record&)> pred,
                                         std::chrono::milliseconds limit = wait_limit,
                                         std::size_t from = 0) const;
  /// The first text frame equal to `text`, waiting for it (bounded).
  std::optional<session_record> wait_for_text(const std::string& text, std::size_t from = 0) const;
  /// The first text frame starting with `prefix`, waiting for it (bounded).
  std::optional<session_record> wait_for_prefix(const std::string& prefix,
                                                std::size_t from = 0) const;
  /// The first close request, waiting for it (bounded).
  std::optional<session_record> wait_for_close(std::chrono::milliseconds limit = wait_limit) const;

 private:
  void add(session_record::kind what, std::string data);

  std::shared_ptr<std::atomic<std::uint64_t>> clock_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<session_record> records_;
};

/// Spawns a fake session that records into `log` and hosts the upper layer
/// `factory` makes (the Socket.IO client), as a real session does. It takes
/// the client's packets as a real session takes a WebSocket's:
/// `ws_packet_atom` hands one to the client, `ws_closed_atom` ends the
/// session. A close request (the client's, or `close_atom`) is recorded,
/// tells the client `forced_close` and ends the session, as a real one does
/// once it has flushed.
transport::transport_actor spawn_fake_session(caf::actor_system& sys,
                                              std::shared_ptr<session_log> log,
                                              transport::upper_factory factory,
                                              transport::session_info info);

}  // namespace cafio::test
