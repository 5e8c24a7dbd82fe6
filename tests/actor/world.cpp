#include "tests/actor/world.hpp"

#include <algorithm>

#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <catch2/catch.hpp>

#include "actors/namespace_actor.hpp"
#include "actors/registry_actor.hpp"

namespace cafio::test {

// -- journal ------------------------------------------------------------------

void journal::add(json entry) {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    entries_.push_back(std::move(entry));
  }
  changed_.notify_all();
}

std::vector<json> journal::entries() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return entries_;
}

std::vector<json> journal::all(const std::string& what) const {
  std::vector<json> result;
  std::lock_guard<std::mutex> guard{mutex_};
  for (auto& e : entries_)
    if (e.value("what", "") == what) result.push_back(e);
  return result;
}

bool journal::wait_until(std::function<bool(const std::vector<json>&)> pred,
                         std::chrono::milliseconds limit) const {
  std::unique_lock<std::mutex> guard{mutex_};
  return changed_.wait_for(guard, limit, [&] { return pred(entries_); });
}

std::optional<json> journal::wait_for(const std::string& what) const {
  std::optional<json> found;
  wait_until([&](const std::vector<json>& entries) {
    for (auto& e : entries)
      if (e.value("what", "") == what) {
        found = e;
        return true;
      }
    return false;
  });
  return found;
}

bool journal::wait_count(const std::string& what, std::size_t n) const {
  return wait_until([&](const std::vector<json>& entries) {
    return static_cast<std::size_t>(std::count_if(entries.begin(), entries.end(), [&](auto& e) {
             return e.value("what", "") == what;
           })) >= n;
  });
}

json rooms_of(const socket& s) {
  return json(std::vector<std::string>(s.rooms().begin(), s.rooms().end()));
}

// -- fake_client --------------------------------------------------------------

std::string nsp_prefix(const std::string& nsp) {
  return nsp == "/" ? std::string() : nsp + ",";
}

// As a WebSocket hands the session its packets and its end (the channel id
// does not matter to a fake session).

void fake_client::send(std::string text) const {
  caf::anon_send(session, transport::ws_packet_atom::value, std::uint64_t{0},
                 engineio::packet{engineio::packet_type::message, std::move(text), false});
}

void fake_client::send_binary(std::string bytes) const {
  caf::anon_send(session, transport::ws_packet_atom::value, std::uint64_t{0},
                 engineio::packet{engineio::packet_type::message, std::move(bytes), true});
}

void fake_client::closed(transport::close_reason reason) const {
  caf::anon_send(session, transport::ws_closed_atom::value, std::uint64_t{0}, reason);
}

std::string fake_client::connect(const std::string& nsp, const json& auth) {
  auto from = log->size();
  send("0" + nsp_prefix(nsp) + (auth.is_null() ? std::string() : auth.dump()));
  auto answer = log->wait_for_prefix("40" + nsp_prefix(nsp) + "{", from);
  INFO("CONNECT " << nsp << " answered; the session has: " << json(log->texts()).dump());
  REQUIRE(answer);
  auto body = json::parse(answer->data.substr(2 + nsp_prefix(nsp).size()));
  REQUIRE(body.contains("sid"));
  return body["sid"].get<std::string>();
}

json fake_client::call(const json& event, const std::string& nsp) {
  auto id = std::to_string(next_ack_id++);
  auto from = log->size();
  send("2" + nsp_prefix(nsp) + id + event.dump());
  auto prefix = "43" + nsp_prefix(nsp) + id + "[";
  auto answer = log->wait_for_prefix(prefix, from);
  INFO("ACK of " << event.dump() << "; the session has: " << json(log->texts()).dump());
  REQUIRE(answer);
  return json::parse(answer->data.substr(prefix.size() - 1));
}

// -- world --------------------------------------------------------------------

world::world()
    : sys_(cfg_.set("scheduler.max-threads", 2)),
      clock_(std::make_shared<std::atomic<std::uint64_t>>(0)),
      journal_(std::make_shared<test::journal>()),
      sockets_(std::make_shared<socket_directory>()),
      registry_(spawn_registry(sys_)) {}

world::~world() {
  // The actor system's destructor waits for every actor: stop them all.
  // Clients first (their sockets leave with them), then the registry (its
  // namespaces disconnect what is left and stop their rooms), then sessions.
  for (auto& c : clients_) c.closed(transport::close_reason::transport_close);
  {
    caf::scoped_actor self{sys_, true};
    self->request(registry_, std::chrono::seconds(5), caf::close_atom::value,
                  disconnect_reason::server_shutting_down)
        .receive([](bool) {}, [](caf::error&) {});
  }
  for (auto& c : clients_) caf::anon_send_exit(c.session, caf::exit_reason::kill);
  for (auto& [name, ns] : namespaces_) caf::anon_send_exit(ns.actor(), caf::exit_reason::kill);
  std::lock_guard<std::mutex> guard{sockets_->mutex};
  sockets_->by_id.clear();
}

namespace_handle world::of(const std::string& nsp) {
  if (auto i = namespaces_.find(nsp); i != namespaces_.end()) return i->second;
  auto actor = spawn_namespace(sys_, nsp);
  {
    caf::scoped_actor self{sys_, true};
    bool registered = false;
    self->request(registry_, wait_limit, caf::put_atom::value, nsp, actor)
        .receive([&](bool) { registered = true; }, [](caf::error&) {});
    REQUIRE(registered);
  }
  namespace_handle handle{sys_, actor, nsp};
  handle.on_connection([directory = sockets_](cafio::socket& s) {
    {
      std::lock_guard<std::mutex> guard{directory->mutex};
      directory->by_id[s.id()] = s.handle();
    }
    directory->changed.notify_all();
  });
  return namespaces_.emplace(nsp, handle).first->second;
}

fake_client& world::client(client_options options, engineio::protocol_version version) {
  auto log = std::make_shared<session_log>(clock_);
  transport::session_info info;
  info.sid = "engine-" + std::to_string(clients_.size() + 1);
  info.version = version;
  info.transport = transport::transport_kind::websocket;
  auto request = std::make_shared<transport::handshake_request>();
  request->method = "GET";
  request->url = "/socket.io/?EIO=4&transport=websocket";
  request->address = "127.0.0.1";
  info.request = std::move(request);
  auto session = spawn_fake_session(sys_, log, client_factory(registry_, options), std::move(info));
  clients_.push_back(fake_client{std::move(log), std::move(session)});
  return clients_.back();
}

socket_actor world::socket(const std::string& id) const {
  std::unique_lock<std::mutex> guard{sockets_->mutex};
  sockets_->changed.wait_for(guard, wait_limit, [&] { return sockets_->by_id.count(id) != 0; });
  auto i = sockets_->by_id.find(id);
  INFO("socket " << id);
  REQUIRE(i != sockets_->by_id.end());
  return i->second;
}

void world::run(const std::string& id, std::function<void(cafio::socket&)> fn) const {
  caf::anon_send(socket(id), run_atom::value, socket_task{std::move(fn)});
}

void world::barrier(const fake_client& c, const std::string& id, const std::string& nsp) {
  auto n = next_barrier_++;
  caf::anon_send(socket(id), emit_atom::value, std::string("barrier"), args{json(n)});
  INFO("barrier " << n << " of socket " << id);
  REQUIRE(c.log->wait_for_text("42" + nsp_prefix(nsp) + json::array({"barrier", n}).dump()));
}

std::vector<std::string> world::members(const std::string& nsp, socket_query query) {
  std::vector<std::string> ids;
  bool answered = false;
  caf::scoped_actor self{sys_, true};
  self->request(of(nsp).actor(), wait_limit, members_atom::value, std::move(query))
      .receive(
          [&](std::vector<std::string>& result) {
            ids = std::move(result);
            answered = true;
          },
          [](caf::error&) {});
  REQUIRE(answered);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace cafio::test
