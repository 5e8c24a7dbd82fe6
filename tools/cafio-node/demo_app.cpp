// The demo: a small chat on "/" — nicknames, rooms, messages to a room,
// typing indicators, join/leave notices with the disconnect reason.
#include "actors/cafio.hpp"
#include "apps.hpp"

namespace cafio::node {

void install_demo_app(server& io) {
  io.on_connection([](socket& s) {
    s.data() = json{{"nickname", "anonymous"}, {"room", ""}};
    s.on("nickname", [&s](args& a, ack k) {
      if (!a.empty() && a[0].is_string() && !a[0].get<std::string>().empty())
        s.data()["nickname"] = a[0];
      k(s.data()["nickname"]);
    });
    s.on("join", [&s](args& a, ack k) {
      if (a.empty() || !a[0].is_string()) return k(json{{"error", "a room name is required"}});
      auto room = a[0].get<std::string>();
      auto previous = s.data()["room"].get<std::string>();
      if (!previous.empty() && previous != room) {
        s.to(previous).emit("system", s.data()["nickname"].get<std::string>() + " left");
        s.leave(previous);
      }
      s.data()["room"] = room;
      s.join(room, [&s, room, k] {
        s.to(room).emit("system", s.data()["nickname"].get<std::string>() + " joined");
        k(json{{"room", room}});
      });
    });
    s.on("chat", [&s](args& a) {
      auto room = s.data()["room"].get<std::string>();
      if (room.empty() || a.empty()) return;
      s.nsp().to(room).emit("chat", json{{"from", s.data()["nickname"]}, {"text", a[0]}});
    });
    s.on("typing", [&s](args& a) {
      auto room = s.data()["room"].get<std::string>();
      if (!room.empty())
        s.to(room).emit("typing", s.data()["nickname"], !a.empty() && a[0] == true);
    });
    s.on("disconnecting", [&s](args& a) {
      auto room = s.data()["room"].get<std::string>();
      if (!room.empty())
        s.to(room).emit("system", s.data()["nickname"].get<std::string>() + " left (" +
                                      (a.empty() ? std::string() : a[0].get<std::string>()) + ")");
    });
  });
}

}  // namespace cafio::node
