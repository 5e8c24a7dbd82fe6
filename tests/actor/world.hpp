// The fixture of the actor-level tests: a real actor system (two scheduler
// threads), a registry with its namespaces, and fake clients, i.e. Socket.IO
// clients hosted by fake sessions and driven exactly as the transport would
// drive them. Everything is stopped in the destructor.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "actors/cafio.hpp"
#include "actors/client.hpp"
#include "tests/actor/fake_session.hpp"

namespace cafio::test {

/// What the handlers under test observed, as JSON objects with a "what" key.
/// Thread-safe: handlers run on the scheduler's threads.
class journal {
 public:
  void add(json entry);
  std::vector<json> entries() const;
  /// The entries whose "what" is `what`.
  std::vector<json> all(const std::string& what) const;
  /// Waits (bounded) until `pred` holds for the entries.
  bool wait_until(std::function<bool(const std::vector<json>&)> pred,
                  std::chrono::milliseconds limit = wait_limit) const;
  /// The first entry whose "what" is `what`, waiting for it (bounded).
  std::optional<json> wait_for(const std::string& what) const;
  /// Waits (bounded) until there are `n` entries whose "what" is `what`.
  bool wait_count(const std::string& what, std::size_t n) const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<json> entries_;
};

/// The rooms of a socket as a JSON array (sorted, as rooms() is).
json rooms_of(const socket& s);

/// A Socket.IO client hosted by a fake session.
struct fake_client {
  std::shared_ptr<session_log> log;
  transport::transport_actor session;
  std::uint64_t next_ack_id = 100;

  /// Feeds one Engine.IO message carrying Socket.IO text, without the
  /// Engine.IO type: "0" for the wire frame "40", `2["ev"]` for `42["ev"]`.
  void send(std::string text) const;
  /// Feeds one binary Engine.IO message (an attachment).
  void send_binary(std::string bytes) const;
  /// Reports the end of the session, as the transport does.
  void closed(transport::close_reason reason) const;

  /// Sends CONNECT for `nsp` (with `auth` unless null) and waits for the
  /// CONNECT answer; returns the socket id (REQUIREs that it came).
  std::string connect(const std::string& nsp = "/", const json& auth = nullptr);
  /// Emits `event` (a JSON array, name first) with an ack id and waits for
  /// the ACK; returns its arguments (REQUIREs that it came).
  json call(const json& event, const std::string& nsp = "/");
};

/// The Socket.IO text prefix of a namespace: "" for "/", "/chat," otherwise.
std::string nsp_prefix(const std::string& nsp);

class world {
 public:
  world();
  ~world();
  world(const world&) = delete;
  world& operator=(const world&) = delete;

  caf::actor_system& system() { return sys_; }
  const std::shared_ptr<test::journal>& journal() const { return journal_; }
  const registry_actor& registry() const { return registry_; }

  /// The namespace `nsp`, spawned and registered on first use. The world
  /// records every socket that connects to it (see socket()).
  namespace_handle of(const std::string& nsp);

  /// A new client bound to a new fake session. The reference stays valid.
  fake_client& client(client_options options = {},
                      engineio::protocol_version version = engineio::protocol_version::v4);

  /// The actor of the connected socket `id`, waiting (bounded) for its
  /// connection handlers to have started.
  socket_actor socket(const std::string& id) const;

  /// Runs `fn` inside the socket `id`'s actor.
  void run(const std::string& id, std::function<void(cafio::socket&)> fn) const;

  /// Makes socket `id` (of namespace `nsp`) emit `["barrier",n]` to its
  /// client and waits for it: everything in that socket's mailbox before this
  /// call has been handled, and what it sent has reached its session.
  void barrier(const fake_client& c, const std::string& id, const std::string& nsp = "/");

  /// The ids the namespace lists for `query` (members_atom).
  std::vector<std::string> members(const std::string& nsp, socket_query query);

  /// How many actors are running (caf::actor_registry::running()).
  std::size_t running_actors() { return sys_.registry().running(); }

 private:
  struct socket_directory {
    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    std::map<std::string, socket_actor> by_id;
  };

  caf::actor_system_config cfg_;
  caf::actor_system sys_;
  std::shared_ptr<std::atomic<std::uint64_t>> clock_;
  std::shared_ptr<test::journal> journal_;
  std::shared_ptr<socket_directory> sockets_;
  registry_actor registry_;
  std::map<std::string, namespace_handle> namespaces_;
  std::deque<fake_client> clients_;
  std::uint64_t next_barrier_ = 1;
};

}  // namespace cafio::test
