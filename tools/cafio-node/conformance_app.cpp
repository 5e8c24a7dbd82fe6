// The conformance app of ../shared/conformance-app.md §3, on the public API.
#include <algorithm>
#include <deque>
#include <mutex>
#include <unordered_map>

#include "actors/cafio.hpp"
#include "apps.hpp"

namespace cafio::node {

namespace {

using namespace std::chrono_literals;

json sorted_rooms(const socket& s) {
  // std::set is already sorted by byte, which is the order of
  // Array.prototype.sort for these (BMP) names.
  auto result = json::array();
  for (auto& room : s.rooms()) result.push_back(room);
  return result;
}

/// The app's memory of disconnects (§3.2 last-disconnect / disconnect-info).
/// App state shared by every socket actor: guarded by a mutex of its own.
class disconnect_log {
 public:
  void record(json entry) {
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
  std::deque<std::string> order_;
  std::unordered_map<std::string, json> by_id_;
  json last_;
};

/// args[first..] without the trailing elements the client did not send.
args tail(const args& a, std::size_t first) {
  return first >= a.size() ? args{} : args(a.begin() + static_cast<std::ptrdiff_t>(first), a.end());
}

std::string string_at(const args& a, std::size_t i) {
  return i < a.size() && a[i].is_string() ? a[i].get<std::string>() : std::string();
}

void install_handlers(socket& s, const std::shared_ptr<disconnect_log>& log) {
  // §2.8: the first event goes out a little after the CONNECT packet, as a
  // separate write (the official suite's client loses coalesced frames).
  s.after(15ms, [&s] { s.emit("auth", s.handshake().auth); });

  auto rooms_at_disconnecting = std::make_shared<json>(json::array());
  s.on("disconnecting",
       [&s, rooms_at_disconnecting](args&) { *rooms_at_disconnecting = sorted_rooms(s); });
  s.on("disconnect", [&s, log, rooms_at_disconnecting](args& a) {
    log->record(json{{"id", s.id()},
                     {"nsp", s.nsp_name()},
                     {"reason", string_at(a, 0)},
                     {"rooms", *rooms_at_disconnecting},
                     {"roomsAfter", sorted_rooms(s)}});
  });

  s.on("message", [&s](args& a) { s.emit("message-back", a); });
  s.on("message-with-ack", [](args& a, ack k) { k.send(a); });
  s.on("whoami", [&s](args&, ack k) { k(json{{"id", s.id()}, {"nsp", s.nsp_name()}}); });
  s.on("rooms", [&s](args&, ack k) { k(sorted_rooms(s)); });
  s.on("handshake", [&s](args&, ack k) { k(s.handshake().to_json()); });
  s.on("room-sockets", [&s](args& a, ack k) {
    s.nsp().in(string_at(a, 0)).fetch_socket_ids([k](std::vector<std::string> ids) {
      std::sort(ids.begin(), ids.end());
      k(ids);
    });
  });
  s.on("join", [&s](args& a, ack k) {
    std::vector<std::string> rooms;
    if (!a.empty() && a[0].is_array()) {
      for (auto& r : a[0])
        if (r.is_string()) rooms.push_back(r.get<std::string>());
    } else if (!a.empty() && a[0].is_string()) {
      rooms.push_back(a[0].get<std::string>());
    }
    s.join(rooms, [&s, k] { k(sorted_rooms(s)); });
  });
  s.on("leave",
       [&s](args& a, ack k) { s.leave(string_at(a, 0), [&s, k] { k(sorted_rooms(s)); }); });
  s.on("to", [&s](args& a, ack k) {
    if (a.size() < 2 || !a[0].is_array()) return k();
    std::vector<std::string> rooms;
    for (auto& r : a[0])
      if (r.is_string()) rooms.push_back(r.get<std::string>());
    if (rooms.empty()) return k();
    auto op = s.to(rooms.front()).to(rooms);
    op.emit(string_at(a, 1), tail(a, 2));
    k();
  });
  s.on("broadcast", [&s](args& a, ack k) {
    s.broadcast().emit(string_at(a, 0), tail(a, 1));
    k();
  });
  s.on("io-to", [&s](args& a, ack k) {
    s.nsp().to(string_at(a, 0)).emit(string_at(a, 1), tail(a, 2));
    k();
  });
  s.on("io-emit", [&s](args& a, ack k) {
    s.nsp().emit(string_at(a, 0), tail(a, 1));
    k();
  });
  s.on("send-me", [&s](args& a, ack k) {
    s.send(a);
    k();
  });
  s.on("compress", [&s](args& a, ack k) {
    s.compress(false).emit(string_at(a, 0), tail(a, 1));
    k();
  });
  s.on("volatile", [&s](args& a, ack k) {
    s.volatile_().emit(string_at(a, 0), tail(a, 1));
    k();
  });
  s.on("server-ack", [&s](args& a) {
    s.emit_with_ack(string_at(a, 0), tail(a, 1),
                    [&s](ack_response r) { s.emit("server-ack-result", r.values); });
  });
  s.on("emit-reserved", [&s](args& a, ack k) {
    auto status = s.emit(string_at(a, 0), "x");
    if (status)
      k(json{{"ok", true}});
    else
      k(json{{"ok", false}, {"error", status.error()}});
  });
  s.on("noop", [](args&, ack k) { k(); });
  s.on("disconnect-me", [&s](args& a) { s.disconnect(!a.empty() && a[0] == true); });
  s.on("close-transport", [&s](args&) { s.close_transport(); });
  s.on("last-disconnect", [log](args&, ack k) { k(log->last()); });
  s.on("disconnect-info", [log](args& a, ack k) { k(log->find(string_at(a, 0))); });
}

}  // namespace

void install_conformance_app(server& io) {
  auto log = std::make_shared<disconnect_log>();
  io.of("/private").use([](socket& s, next n) {
    auto& auth = s.handshake().auth;
    if (auth.is_object() && auth.contains("token") && auth["token"] == "secret")
      n();
    else
      n(middleware_error{"unauthorized", json()});
  });
  for (auto nsp : {"/", "/custom", "/private"}) {
    io.of(nsp).on_connection([log, main = std::string(nsp) == "/"](socket& s) {
      if (main) {
        // §3.3: a packet middleware refusing the event "forbidden".
        s.use([](event_packet& p, next n) {
          if (p.event == "forbidden")
            n(middleware_error{"forbidden event", json()});
          else
            n();
        });
        s.on("error", [&s](args& a) { s.emit("middleware-error", a.empty() ? json() : a[0]); });
        s.on("forbidden", [&s](args&, ack k) {
          s.emit("forbidden-reached");
          k("forbidden-reached");
        });
      }
      install_handlers(s, log);
    });
  }
}

}  // namespace cafio::node
