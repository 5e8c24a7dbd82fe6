// cafio-api-server: a Socket.IO app on cafio's public C++ API, driven by the
// api-*.test.mjs integration tests and python_client_test.py. Every event
// below exercises one item of the Socket API (actors/socket.hpp,
// namespace_handle.hpp, broadcast_operator.hpp, server.hpp); the options of
// server_options come from the command line, so that one binary covers the
// option tests. Each disconnect is printed to stdout as one JSON line
// {"disconnect": record} and kept for the "disconnect-info" query.
//
//   cafio-api-server [--host 127.0.0.1] [--port 3000] [--ping-interval MS]
//     [--ping-timeout MS] [--connect-timeout MS]
//     [--transports polling|websocket|both] [--no-upgrades]
//     [--upgrade-timeout MS] [--cookie] [--allow-request-header NAME]
//     [--cors-origin ORIGIN] [--cors-credentials] [--max-payload BYTES]
//     [--per-message-deflate] [--no-http-compression]
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <deque>
#include <iostream>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "actors/cafio.hpp"

namespace {

using namespace std::chrono_literals;
using cafio::ack;
using cafio::args;
using cafio::json;
using cafio::socket;

// -- helpers ------------------------------------------------------------------

json sorted_rooms(const socket& s) {
  auto result = json::array();
  for (auto& room : s.rooms()) result.push_back(room);  // std::set: sorted
  return result;
}

args tail(const args& a, std::size_t first) {
  return first >= a.size() ? args{} : args(a.begin() + static_cast<std::ptrdiff_t>(first), a.end());
}

std::string string_at(const args& a, std::size_t i) {
  return i < a.size() && a[i].is_string() ? a[i].get<std::string>() : std::string();
}

/// A room name or an array of room names.
std::vector<std::string> rooms_of(const json& value) {
  std::vector<std::string> rooms;
  if (value.is_string()) rooms.push_back(value.get<std::string>());
  if (value.is_array())
    for (auto& r : value)
      if (r.is_string()) rooms.push_back(r.get<std::string>());
  return rooms;
}

std::vector<std::string> rooms_at(const args& a, std::size_t i) {
  return i < a.size() ? rooms_of(a[i]) : std::vector<std::string>{};
}

std::string kind_name(cafio::transport::transport_kind kind) {
  return cafio::transport::to_string(kind);
}

/// The targets of a socket query {"in": rooms, "except": rooms} in the
/// socket's namespace (null or {}: every socket).
cafio::broadcast_operator targets(const cafio::namespace_handle& nsp, const json& query) {
  cafio::broadcast_operator op{nsp.actor(), nsp.name()};
  if (query.is_object()) {
    if (query.contains("in")) op = op.to(rooms_of(query["in"]));
    if (query.contains("except"))
      for (auto& room : rooms_of(query["except"])) op = op.except(room);
  }
  return op;
}

json info_to_json(const cafio::socket_info& info) {
  json headers = json::object();
  for (auto& [name, value] : info.request.headers()) headers[name] = value;
  return json{{"id", info.id},
              {"nsp", info.nsp},
              {"rooms", info.rooms},
              {"data", info.data},
              {"auth", info.auth},
              {"url", info.request.url},
              {"address", info.request.address},
              {"headers", headers}};
}

json response_to_json(const cafio::ack_response& r) {
  return json{{"error", r.error ? json(*r.error) : json()}, {"values", r.values}};
}

// -- the disconnect log ---------------------------------------------------------

class disconnect_log {
 public:
  void record(json entry) {
    {
      // One line per disconnect, flushed, for tests that read it after stop.
      std::lock_guard<std::mutex> guard{out_mutex_};
      std::cout << json{{"disconnect", entry}}.dump() << std::endl;
    }
    std::lock_guard<std::mutex> guard{mutex_};
    auto id = entry["id"].get<std::string>();
    order_.push_back(id);
    by_id_[id] = entry;
    last_ = std::move(entry);
    while (order_.size() > capacity) {
      by_id_.erase(order_.front());
      order_.pop_front();
    }
  }
  json last() const {
    std::lock_guard<std::mutex> guard{mutex_};
    return last_;
  }
  json find(const std::string& id) const {
    std::lock_guard<std::mutex> guard{mutex_};
    auto i = by_id_.find(id);
    return i == by_id_.end() ? json() : i->second;
  }

 private:
  static constexpr std::size_t capacity = 1000;
  mutable std::mutex mutex_;
  std::mutex out_mutex_;
  std::deque<std::string> order_;
  std::unordered_map<std::string, json> by_id_;
  json last_;
};

/// What the app keeps per socket (lives as long as the socket's handlers).
struct socket_extra {
  json any_seen = json::array();  // {tag, event, args} from onAny listeners
  json outgoing = json::array();  // {tag, event, args} from onAnyOutgoing listeners
  json rooms_at_disconnecting = json::array();
  std::uint64_t handled = 0;  // events handled so far (middleware order tests)
};

struct app_context {
  std::shared_ptr<disconnect_log> log = std::make_shared<disconnect_log>();
  std::optional<cafio::namespace_handle> dyn_parent;
  cafio::server* io = nullptr;
};

// -- handlers -------------------------------------------------------------------

void install_disconnect_recording(socket& s, const std::shared_ptr<socket_extra>& extra,
                                  const std::shared_ptr<disconnect_log>& log) {
  s.on("disconnecting", [&s, extra](args&) { extra->rooms_at_disconnecting = sorted_rooms(s); });
  s.on("disconnect", [&s, extra, log](args& a) {
    json any_events = json::array();
    for (auto& seen : extra->any_seen) any_events.push_back(seen["event"]);
    log->record(json{{"id", s.id()},
                     {"nsp", s.nsp_name()},
                     {"reason", string_at(a, 0)},
                     {"rooms", extra->rooms_at_disconnecting},
                     {"roomsAfter", sorted_rooms(s)},
                     {"anyEvents", any_events}});
  });
}

void install_listener_handlers(socket& s, const std::shared_ptr<socket_extra>& extra,
                               const std::shared_ptr<disconnect_log>& log) {
  // A listener that reports each call with "heard" and answers an ack with
  // its tag.
  auto reporter = [&s](std::string event, json tag) {
    return [&s, event, tag](args& a, ack k) {
      s.emit("heard", json{{"event", event}, {"tag", tag}, {"args", a}});
      if (k) k(tag);
    };
  };
  auto describe = [&s](const std::string& event) {
    return json{{"ids", s.listeners(event)},
                {"count", s.listener_count(event)},
                {"names", s.event_names()}};
  };
  s.on("listener-add", [&s, reporter](args& a, ack k) {
    auto event = string_at(a, 0);
    bool once = a.size() > 2 && a[2] == true;
    k(s.add_listener(event, reporter(event, a.size() > 1 ? a[1] : json()), once));
  });
  s.on("listener-on", [&s, reporter, describe](args& a, ack k) {
    auto event = string_at(a, 0);
    s.on(event, reporter(event, a.size() > 1 ? a[1] : json()));
    k(describe(event));
  });
  s.on("listener-once", [&s, reporter, describe](args& a, ack k) {
    auto event = string_at(a, 0);
    s.once(event, reporter(event, a.size() > 1 ? a[1] : json()));
    k(describe(event));
  });
  s.on("listener-remove", [&s, describe](args& a, ack k) {
    auto event = string_at(a, 0);
    s.remove_listener(event, a.size() > 1 && a[1].is_number() ? a[1].get<std::uint64_t>() : 0);
    k(describe(event));
  });
  s.on("listener-off", [&s, describe](args& a, ack k) {
    auto event = string_at(a, 0);
    s.off(event);
    k(describe(event));
  });
  s.on("listeners", [describe](args& a, ack k) { k(describe(string_at(a, 0))); });
  // removeAllListeners(): afterwards only what is added back here exists.
  s.on("listener-remove-all", [&s, extra, log](args&, ack k) {
    s.remove_all_listeners();
    auto names = s.event_names();
    s.on("alive", [](args&, ack k2) { k2("alive"); });
    install_disconnect_recording(s, extra, log);
    k(names);
  });
  // A listener that removes itself while running, and one added while
  // running (not called for the current event, as with EventEmitter).
  s.on("listener-self-remove", [&s](args& a, ack k) {
    auto event = string_at(a, 0);
    auto id = std::make_shared<socket::listener_id>(0);
    *id = s.add_listener(event, [&s, event, id](args&) {
      s.remove_listener(event, *id);
      s.emit("heard", json{{"event", event}, {"tag", "self-removing"}});
      s.on(event, [&s, event](args&) {
        s.emit("heard", json{{"event", event}, {"tag", "added-while-running"}});
      });
    });
    k(*id);
  });
}

void install_catch_all_handlers(socket& s, const std::shared_ptr<socket_extra>& extra) {
  s.on("any-add", [&s, extra](args& a, ack k) {
    json tag = a.size() > 0 ? a[0] : json();
    bool prepend = a.size() > 1 && a[1] == true;
    k(s.add_any_listener(
        [extra, tag](const std::string& event, args& xs) {
          extra->any_seen.push_back(json{{"tag", tag}, {"event", event}, {"args", xs}});
        },
        prepend));
  });
  s.on("any-on", [&s, extra](args& a, ack k) {
    json tag = a.size() > 0 ? a[0] : json();
    auto record = [extra, tag](const std::string& event, args& xs) {
      extra->any_seen.push_back(json{{"tag", tag}, {"event", event}, {"args", xs}});
    };
    if (a.size() > 1 && a[1] == true)
      s.prepend_any(record);
    else
      s.on_any(record);
    k(s.listeners_any());
  });
  s.on("any-off", [&s](args& a, ack k) {
    if (!a.empty() && a[0].is_number())
      s.off_any(a[0].get<std::uint64_t>());
    else
      s.off_any();
    k(s.listeners_any());
  });
  s.on("any-list", [&s](args&, ack k) { k(s.listeners_any()); });
  s.on("any-log", [extra](args&, ack k) {
    auto seen = extra->any_seen;
    extra->any_seen = json::array();
    k(seen);
  });

  s.on("out-add", [&s, extra](args& a, ack k) {
    json tag = a.size() > 0 ? a[0] : json();
    bool prepend = a.size() > 1 && a[1] == true;
    k(s.add_any_outgoing_listener(
        [extra, tag](const std::string& event, args& xs) {
          extra->outgoing.push_back(json{{"tag", tag}, {"event", event}, {"args", xs}});
        },
        prepend));
  });
  s.on("out-on", [&s, extra](args& a, ack k) {
    json tag = a.size() > 0 ? a[0] : json();
    auto record = [extra, tag](const std::string& event, args& xs) {
      extra->outgoing.push_back(json{{"tag", tag}, {"event", event}, {"args", xs}});
    };
    if (a.size() > 1 && a[1] == true)
      s.prepend_any_outgoing(record);
    else
      s.on_any_outgoing(record);
    k(s.listeners_any_outgoing());
  });
  s.on("out-off", [&s](args& a, ack k) {
    if (!a.empty() && a[0].is_number())
      s.off_any_outgoing(a[0].get<std::uint64_t>());
    else
      s.off_any_outgoing();
    k(s.listeners_any_outgoing());
  });
  s.on("out-log", [extra](args&, ack k) {
    auto seen = extra->outgoing;
    extra->outgoing = json::array();
    k(seen);
  });
}

void install_middlewares(socket& s, const std::shared_ptr<socket_extra>& extra) {
  // Packet middlewares (socket.use), in registration order.
  s.use([&s](cafio::event_packet& p, cafio::next n) {
    if (p.event == "forbidden") return n(cafio::middleware_error{"forbidden event", {{"why", 1}}});
    if (p.event == "mw-slow") return s.after(100ms, [n] { n(); });  // async next
    if (p.event == "mw-order" || p.event == "mw-mutate") p.arguments.push_back("first");
    n();
  });
  s.use([](cafio::event_packet& p, cafio::next n) {
    if (p.event == "mw-order") p.arguments.push_back("second");
    n();
  });
  // A refused packet goes to the socket's "error" listeners.
  s.on("error", [&s](args& a) { s.emit("mw-error", a); });
  s.on("forbidden", [&s](args&, ack k) {
    s.emit("forbidden-reached");
    k("forbidden-reached");
  });
  s.on("mw-order", [](args& a, ack k) { k.send(a); });
  s.on("mw-mutate", [](args& a, ack k) { k.send(a); });
  s.on("mw-slow", [extra](args&, ack k) { k("slow", ++extra->handled); });
  s.on("mw-fast", [extra](args&, ack k) { k("fast", ++extra->handled); });
}

void install_ack_handlers(socket& s) {
  s.on("echo", [](args& a, ack k) { k.send(a); });
  s.on("ack-twice", [](args&, ack k) {
    k("first");
    k("second");
  });
  s.on("ack-later", [&s](args& a, ack k) {
    auto ms = a.size() > 0 && a[0].is_number() ? a[0].get<int>() : 50;
    s.after(std::chrono::milliseconds(ms), [k] { k("late"); });
  });
  s.on("ack-thread", [](args&, ack k) {
    // An ack may be called from any thread.
    std::thread([k] { k("from a thread"); }).join();
  });
  s.on("ack-asked", [](args&, ack k) {
    // Whether the client asked for an answer at all.
    if (k) k(true);
  });
  s.on("server-ack", [&s](args& a) {
    s.emit_with_ack(string_at(a, 0), tail(a, 1), [&s](cafio::ack_response r) {
      s.emit("server-ack-result", response_to_json(r));
    });
  });
  s.on("ack-timeout", [&s](args& a) {
    auto ms = a.size() > 1 && a[1].is_number() ? a[1].get<int>() : 100;
    s.timeout(std::chrono::milliseconds(ms))
        .emit_with_ack(string_at(a, 0), tail(a, 2), [&s](cafio::ack_response r) {
          s.emit("ack-timeout-result", response_to_json(r));
        });
  });
  s.on("ack-promise", [&s](args& a) {
    s.emit_with_ack(string_at(a, 0), tail(a, 1)).then([&s](cafio::ack_response r) {
      s.emit("ack-promise-result", response_to_json(r));
    });
  });
  s.on("ack-promise-timeout", [&s](args& a) {
    auto ms = a.size() > 1 && a[1].is_number() ? a[1].get<int>() : 100;
    s.timeout(std::chrono::milliseconds(ms))
        .emit_with_ack(string_at(a, 0), tail(a, 2))
        .then([&s](cafio::ack_response r) { s.emit("ack-promise-result", response_to_json(r)); });
  });
}

void install_emit_handlers(socket& s) {
  s.on("emit-me", [&s](args& a, ack k) {
    s.emit(string_at(a, 0), tail(a, 1));
    k();
  });
  s.on("send-me", [&s](args& a, ack k) {
    s.send(a);
    k();
  });
  s.on("emit-reserved", [&s](args& a, ack k) {
    auto status = s.emit(string_at(a, 0), "x");
    if (status)
      k(json{{"ok", true}});
    else
      k(json{{"ok", false}, {"error", status.error()}});
  });
  s.on("emit-reserved-ack", [&s](args& a, ack k) {
    s.emit_with_ack(string_at(a, 0), args{"x"}).then([k](cafio::ack_response r) {
      k(response_to_json(r));
    });
  });
  s.on("volatile", [&s](args& a, ack k) {
    s.volatile_().emit(string_at(a, 0), tail(a, 1));
    k();
  });
  s.on("compress", [&s](args& a, ack k) {
    s.compress(false).emit(string_at(a, 0), tail(a, 1));
    k();
  });
  s.on("binary", [&s](args& a, ack k) {
    // A binary built on the server: n bytes 0, 1, 2, ...
    auto n = a.size() > 0 && a[0].is_number() ? a[0].get<std::size_t>() : 4;
    std::string bytes(n, '\0');
    for (std::size_t i = 0; i < n; ++i) bytes[i] = static_cast<char>(i % 256);
    s.binary(true).emit("bin", cafio::binary(bytes), json{{"nested", cafio::binary(bytes)}});
    k(cafio::binary(bytes));
  });
  s.on("bytes-of", [](args& a, ack k) {
    // Which arguments are binary, and their lengths.
    auto result = json::array();
    for (auto& v : a) {
      auto bytes = cafio::bytes_of(v);
      result.push_back(bytes ? json(bytes->size()) : json());
    }
    k(result);
  });
  s.on("after", [&s](args& a, ack k) {
    auto ms = a.size() > 0 && a[0].is_number() ? a[0].get<int>() : 50;
    auto event = string_at(a, 1);
    s.after(std::chrono::milliseconds(ms), [&s, event] { s.emit(event, "after"); });
    k();
  });
}

void install_room_handlers(socket& s) {
  s.on("rooms", [&s](args&, ack k) { k(sorted_rooms(s)); });
  s.on("join", [&s](args& a, ack k) { s.join(rooms_at(a, 0), [&s, k] { k(sorted_rooms(s)); }); });
  s.on("join-one",
       [&s](args& a, ack k) { s.join(string_at(a, 0), [&s, k] { k(sorted_rooms(s)); }); });
  s.on("join-nocb", [&s](args& a, ack k) {
    s.join(rooms_at(a, 0));
    k(sorted_rooms(s));  // rooms() has them at once
  });
  s.on("leave",
       [&s](args& a, ack k) { s.leave(string_at(a, 0), [&s, k] { k(sorted_rooms(s)); }); });
  s.on("room-sockets", [&s](args& a, ack k) {
    s.nsp().in(string_at(a, 0)).fetch_socket_ids([k](std::vector<std::string> ids) {
      std::sort(ids.begin(), ids.end());
      k(ids);
    });
  });
  // socket.to(a).to(b)... / socket.in(...): the sender excluded.
  s.on("to", [&s](args& a, ack k) {
    auto rooms = rooms_at(a, 0);
    if (rooms.empty()) return k();
    s.to(rooms.front()).to(rooms).emit(string_at(a, 1), tail(a, 2));
    k();
  });
  s.on("in", [&s](args& a, ack k) {
    auto rooms = rooms_at(a, 0);
    if (rooms.empty()) return k();
    auto op = s.in(rooms.front());
    for (auto& room : rooms) op = op.in(room);
    op.emit(string_at(a, 1), tail(a, 2));
    k();
  });
  s.on("except", [&s](args& a, ack k) {
    auto rooms = rooms_at(a, 0);
    if (rooms.empty()) return k();
    auto op = s.except(rooms.front());
    for (auto& room : rooms) op = op.except(room);
    op.emit(string_at(a, 1), tail(a, 2));
    k();
  });
  s.on("to-except", [&s](args& a, ack k) {
    auto to = rooms_at(a, 0);
    if (to.empty()) return k();
    auto op = s.to(to.front()).to(to);
    for (auto& room : rooms_at(a, 1)) op = op.except(room);
    op.emit(string_at(a, 2), tail(a, 3));
    k();
  });
  s.on("broadcast", [&s](args& a, ack k) {
    s.broadcast().emit(string_at(a, 0), tail(a, 1));
    k();
  });
  s.on("local", [&s](args& a, ack k) {
    s.local().emit(string_at(a, 0), tail(a, 1));
    k();
  });
  s.on("broadcast-volatile", [&s](args& a, ack k) {
    s.broadcast().volatile_().emit(string_at(a, 0), tail(a, 1));
    k();
  });
  s.on("broadcast-reserved", [&s](args& a, ack k) {
    auto status = s.broadcast().emit(string_at(a, 0), "x");
    k(status ? json{{"ok", true}} : json{{"ok", false}, {"error", status.error()}});
  });
  // The namespace's operators: the sender included.
  s.on("io-emit", [&s](args& a, ack k) {
    s.nsp().emit(string_at(a, 0), tail(a, 1));
    k();
  });
  s.on("io-to", [&s](args& a, ack k) {
    auto rooms = rooms_at(a, 0);
    if (rooms.empty()) return k();
    s.nsp().to(rooms.front()).to(rooms).emit(string_at(a, 1), tail(a, 2));
    k();
  });
  s.on("io-in", [&s](args& a, ack k) {
    s.nsp().in(string_at(a, 0)).emit(string_at(a, 1), tail(a, 2));
    k();
  });
  s.on("io-except", [&s](args& a, ack k) {
    auto rooms = rooms_at(a, 0);
    if (rooms.empty()) return k();
    auto op = s.nsp().except(rooms.front());
    for (auto& room : rooms) op = op.except(room);
    op.emit(string_at(a, 1), tail(a, 2));
    k();
  });
  s.on("io-local", [&s](args& a, ack k) {
    s.nsp().local().emit(string_at(a, 0), tail(a, 1));
    k();
  });
  s.on("io-volatile", [&s](args& a, ack k) {
    s.nsp().volatile_().emit(string_at(a, 0), tail(a, 1));
    k();
  });
  s.on("io-compress", [&s](args& a, ack k) {
    s.nsp().compress(false).emit(string_at(a, 0), tail(a, 1));
    k();
  });
}

void on_connection(socket& s, app_context& ctx);

void install_query_handlers(socket& s, app_context& ctx) {
  s.on("data-set", [&s](args& a, ack k) {
    s.data() = a.empty() ? json() : a[0];
    k(s.data());
  });
  s.on("data-get", [&s](args&, ack k) { k(s.data()); });
  s.on("fetch-sockets", [&s](args& a, ack k) {
    targets(s.nsp(), a.empty() ? json() : a[0])
        .fetch_sockets([k](std::vector<cafio::socket_info> infos) {
          std::sort(infos.begin(), infos.end(), [](auto& x, auto& y) { return x.id < y.id; });
          auto result = json::array();
          for (auto& info : infos) result.push_back(info_to_json(info));
          k(result);
        });
  });
  // Operations on the RemoteSockets fetch_sockets returns.
  s.on("remote-emit", [&s](args& a, ack k) {
    auto event = string_at(a, 1);
    auto rest = tail(a, 2);
    s.nsp().in(string_at(a, 0)).fetch_sockets([k, event, rest](std::vector<cafio::socket_info> xs) {
      for (auto& info : xs) info.emit(event, rest);
      k(xs.size());
    });
  });
  s.on("remote-join", [&s](args& a, ack k) {
    auto rooms = rooms_at(a, 1);
    s.nsp().in(string_at(a, 0)).fetch_sockets([k, rooms](std::vector<cafio::socket_info> xs) {
      for (auto& info : xs) info.join(rooms);
      k(xs.size());
    });
  });
  s.on("remote-leave", [&s](args& a, ack k) {
    auto rooms = rooms_at(a, 1);
    s.nsp().in(string_at(a, 0)).fetch_sockets([k, rooms](std::vector<cafio::socket_info> xs) {
      for (auto& info : xs) info.leave(rooms);
      k(xs.size());
    });
  });
  s.on("remote-disconnect", [&s](args& a, ack k) {
    bool close = a.size() > 1 && a[1] == true;
    s.nsp().in(string_at(a, 0)).fetch_sockets([k, close](std::vector<cafio::socket_info> xs) {
      k(xs.size());
      for (auto& info : xs) info.disconnect(close);
    });
  });
  s.on("sockets-join", [&s](args& a, ack k) {
    targets(s.nsp(), a.empty() ? json() : a[0]).sockets_join(rooms_at(a, 1));
    k();
  });
  // socketsJoin, then at once a query of the joined room (socket.io's
  // in-memory adapter has the sockets in the room when socketsJoin returns).
  s.on("sockets-join-fetch", [&s](args& a, ack k) {
    auto rooms = rooms_at(a, 1);
    if (rooms.empty()) return k();
    targets(s.nsp(), a.empty() ? json() : a[0]).sockets_join(rooms);
    s.nsp().in(rooms.front()).fetch_socket_ids([k](std::vector<std::string> ids) {
      std::sort(ids.begin(), ids.end());
      k(ids);
    });
  });
  s.on("sockets-leave", [&s](args& a, ack k) {
    targets(s.nsp(), a.empty() ? json() : a[0]).sockets_leave(rooms_at(a, 1));
    k();
  });
  s.on("disconnect-sockets", [&s](args& a, ack k) {
    k();
    targets(s.nsp(), a.empty() ? json() : a[0]).disconnect_sockets(a.size() > 1 && a[1] == true);
  });
  s.on("server-side-emit", [&s](args& a, ack k) {
    auto event = a.empty() ? std::string("hello") : string_at(a, 0);
    k(s.nsp().server_side_emit(event, tail(a, 1)));
  });
  // The server's own operators (io.emit / io.to: the main namespace).
  s.on("server-emit", [&ctx](args& a, ack k) {
    ctx.io->emit(string_at(a, 0), tail(a, 1));
    k();
  });
  s.on("server-to", [&ctx](args& a, ack k) {
    ctx.io->to(string_at(a, 0)).emit(string_at(a, 1), tail(a, 2));
    k();
  });
  // io.of(name) from inside a handler, after listen(): a namespace created
  // at run time, with the app's connection handler.
  s.on("create-namespace", [&ctx](args& a, ack k) {
    ctx.io->of(string_at(a, 0)).on_connection([&ctx](socket& x) { on_connection(x, ctx); });
    k();
  });
  // The dynamic parent namespace io.of(/^\/dyn-[0-9]+$/): its operations
  // reach every child namespace.
  s.on("dyn-emit", [&ctx](args& a, ack k) {
    ctx.dyn_parent->emit(string_at(a, 0), tail(a, 1));
    k();
  });
  s.on("dyn-to", [&ctx](args& a, ack k) {
    ctx.dyn_parent->to(string_at(a, 0)).emit(string_at(a, 1), tail(a, 2));
    k();
  });
  s.on("dyn-fetch", [&ctx](args&, ack k) {
    ctx.dyn_parent->fetch_sockets([k](std::vector<cafio::socket_info> infos) {
      auto result = json::array();
      for (auto& info : infos) result.push_back(json{{"id", info.id}, {"nsp", info.nsp}});
      std::sort(result.begin(), result.end(), [](auto& x, auto& y) { return x["id"] < y["id"]; });
      k(result);
    });
  });
  s.on("dyn-disconnect", [&ctx](args& a, ack k) {
    k();
    ctx.dyn_parent->disconnect_sockets(!a.empty() && a[0] == true);
  });
}

void install_info_handlers(socket& s) {
  s.on("whoami", [&s](args&, ack k) {
    k(json{{"id", s.id()}, {"nsp", s.nsp_name()}, {"connected", s.connected()}});
  });
  s.on("handshake", [&s](args&, ack k) { k(s.handshake().to_json()); });
  s.on("request", [&s](args&, ack k) {
    auto& r = s.request();
    json headers = json::object();
    for (auto& [name, value] : r.headers()) headers[name] = value;
    json query = json::object();
    for (auto& [key, value] : r.query()) query[key] = value;
    k(json{{"method", r.method},
           {"url", r.url},
           {"headers", headers},
           {"query", query},
           {"address", r.address},
           {"secure", r.secure},
           {"issued", r.issued_ms}});
  });
  s.on("conn", [&s](args&, ack k) {
    auto c = s.conn();
    k(json{{"id", c.id()},
           {"transport", kind_name(c.transport())},
           {"protocol", c.protocol()},
           {"engineId", s.engine_id()},
           {"socketTransport", kind_name(s.transport())}});
  });
}

void install_lifecycle_handlers(socket& s, const std::shared_ptr<disconnect_log>& log) {
  s.on("disconnect-me", [&s](args& a) { s.disconnect(!a.empty() && a[0] == true); });
  s.on("close-transport", [&s](args&) { s.conn().close(); });
  s.on("last-disconnect", [log](args&, ack k) { k(log->last()); });
  s.on("disconnect-info", [log](args& a, ack k) { k(log->find(string_at(a, 0))); });
}

/// The connection handler of every namespace.
void on_connection(socket& s, app_context& ctx) {
  auto extra = std::make_shared<socket_extra>();
  install_disconnect_recording(s, extra, ctx.log);
  install_middlewares(s, extra);
  install_listener_handlers(s, extra, ctx.log);
  install_catch_all_handlers(s, extra);
  install_ack_handlers(s);
  install_emit_handlers(s);
  install_room_handlers(s);
  install_query_handlers(s, ctx);
  install_info_handlers(s);
  install_lifecycle_handlers(s, ctx.log);
  // socket.conn.on("upgrade"): tell the client when its connection moves.
  s.conn().on_upgrade(
      [&s](cafio::transport::transport_kind kind) { s.emit("conn-upgraded", kind_name(kind)); });
  s.emit("welcome", json{{"id", s.id()},
                         {"nsp", s.nsp_name()},
                         {"transport", kind_name(s.conn().transport())},
                         {"data", s.data()}});
}

void install_app(cafio::server& io, app_context& ctx) {
  ctx.io = &io;
  // "/": a middleware that continues later (next from a timer) and refuses
  // when auth.refuse is set, with data.
  io.use([](socket& s, cafio::next n) {
    s.after(20ms, [&s, n] {
      auto& auth = s.handshake().auth;
      if (auth.contains("refuse")) return n(cafio::middleware_error{"refused", auth["refuse"]});
      s.data()["middleware"] = "/";
      n();
    });
  });
  io.on_connection([&ctx](socket& s) { on_connection(s, ctx); });
  io.of("/other").on_connection([&ctx](socket& s) { on_connection(s, ctx); });
  // A middleware that refuses with data: CONNECT_ERROR {message, data}.
  io.of("/mw-error")
      .use([](socket&, cafio::next n) {
        n(cafio::middleware_error{"nope", json{{"code", 42}}});
      })
      .on_connection([&ctx](socket& s) { on_connection(s, ctx); });
  // Dynamic namespaces by regex: every child gets the parent's middleware
  // and connection handler.
  auto dyn = io.of(std::regex("^/dyn-[0-9]+$"));
  dyn.use([](socket& s, cafio::next n) {
    auto& auth = s.handshake().auth;
    if (auth.contains("dynDeny")) return n(cafio::middleware_error{"dyn denied", json()});
    s.data()["middleware"] = "dyn";
    n();
  });
  dyn.on_connection([&ctx](socket& s) {
    on_connection(s, ctx);
    s.emit("dyn-hello", s.nsp_name());
  });
  ctx.dyn_parent = dyn;
  // By predicate: /pred-* only with auth.ok === true.
  io.of([](const std::string& name, const json& auth) {
      return name.rfind("/pred-", 0) == 0 && auth.is_object() && auth.contains("ok") &&
             auth["ok"] == true;
    }).on_connection([&ctx](socket& s) {
    on_connection(s, ctx);
    s.emit("pred-hello", s.nsp_name());
  });
}

// -- command line ---------------------------------------------------------------

struct cli {
  std::string host = "127.0.0.1";
  std::uint16_t port = 3000;
  bool help = false;
  cafio::server_options options;
};

const char* usage =
    "usage: cafio-api-server [--help] [--host ADDR] [--port N] [--ping-interval MS]\n"
    "  [--ping-timeout MS] [--connect-timeout MS] [--transports polling|websocket|both]\n"
    "  [--no-upgrades]"
    " [--upgrade-timeout MS] [--cookie] [--allow-request-header NAME]\n"
    "  [--cors-origin ORIGIN] [--cors-credentials] [--max-payload BYTES]\n"
    "  [--per-message-deflate] [--no-http-compression]\n";

bool to_number(const char* text, std::uint64_t& out) {
  auto end = text + std::strlen(text);
  auto [p, ec] = std::from_chars(text, end, out);
  return ec == std::errc{} && p == end;
}

std::optional<cli> parse(int argc, char** argv, std::string& error) {
  cli c;
  auto& e = c.options.engine;
  e.path = "/socket.io/";
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    auto number = [&](std::uint64_t& out) {
      auto v = value();
      if (v == nullptr || !to_number(v, out)) {
        error = flag + " needs a number";
        return false;
      }
      return true;
    };
    std::uint64_t n = 0;
    if (flag == "--help") {
      c.help = true;
    } else if (flag == "--host") {
      auto v = value();
      if (v == nullptr) return error = "--host needs an address", std::nullopt;
      c.host = v;
    } else if (flag == "--port") {
      if (!number(n) || n > 65535) return error = "--port needs 0-65535", std::nullopt;
      c.port = static_cast<std::uint16_t>(n);
    } else if (flag == "--ping-interval") {
      if (!number(n)) return std::nullopt;
      e.ping_interval = std::chrono::milliseconds(n);
    } else if (flag == "--ping-timeout") {
      if (!number(n)) return std::nullopt;
      e.ping_timeout = std::chrono::milliseconds(n);
    } else if (flag == "--connect-timeout") {
      if (!number(n)) return std::nullopt;
      c.options.connect_timeout = std::chrono::milliseconds(n);
    } else if (flag == "--upgrade-timeout") {
      if (!number(n)) return std::nullopt;
      e.upgrade_timeout = std::chrono::milliseconds(n);
    } else if (flag == "--max-payload") {
      if (!number(n)) return std::nullopt;
      e.max_payload = n;
    } else if (flag == "--transports") {
      auto v = value();
      std::string t = v ? v : "";
      if (t != "polling" && t != "websocket" && t != "both")
        return error = "--transports needs polling, websocket or both", std::nullopt;
      e.allow_polling = t != "websocket";
      e.allow_websocket = t != "polling";
    } else if (flag == "--per-message-deflate") {
      e.per_message_deflate.enabled = true;
    } else if (flag == "--no-http-compression") {
      e.http_compression.enabled = false;
    } else if (flag == "--no-upgrades") {
      e.allow_upgrades = false;
    } else if (flag == "--cookie") {
      e.cookie.enabled = true;
      e.cookie.name = "io";
      e.cookie.path = "/";
      e.cookie.http_only = true;
      e.cookie.same_site = "lax";
    } else if (flag == "--allow-request-header") {
      auto v = value();
      if (v == nullptr) return error = "--allow-request-header needs a name", std::nullopt;
      std::string name = v;
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      e.allow_request =
          [name](const cafio::transport::handshake_request& r) -> std::optional<std::string> {
        for (auto& header : r.headers())
          if (header.first == name) return std::nullopt;
        return std::string("denied");
      };
    } else if (flag == "--cors-origin") {
      auto v = value();
      if (v == nullptr) return error = "--cors-origin needs an origin", std::nullopt;
      e.cors.enabled = true;
      e.cors.origin = v;
    } else if (flag == "--cors-credentials") {
      e.cors.enabled = true;
      e.cors.credentials = true;
    } else {
      error = "unknown argument " + flag;
      return std::nullopt;
    }
  }
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  std::string error;
  auto parsed = parse(argc, argv, error);
  if (!parsed) {
    std::cerr << "cafio-api-server: " << error << "\n" << usage;
    return 2;
  }
  if (parsed->help) {
    std::cout << usage;
    return 0;
  }

  // Block the stop signals before any thread starts: every thread inherits
  // the mask and only sigwait() below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  int status = 0;
  {
    app_context ctx;
    cafio::server io{sys, parsed->options};
    install_app(io, ctx);
    auto port = io.listen(parsed->host, parsed->port, error);
    if (port == 0) {
      std::cerr << "cafio-api-server: " << error << "\n";
      status = 1;
    } else {
      std::cout << "cafio-api-server on http://" << parsed->host << ":" << port
                << io.options().engine.path << std::endl;
      int sig = 0;
      sigwait(&signals, &sig);
    }
    io.close();
  }
  return status;
}
