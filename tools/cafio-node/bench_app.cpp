// The bench app of ../shared/bench-app.md, on the public API: what the load
// generator (tools/bench/) measures, with the same handlers as the Node
// reference (tools/reference/bench-app.mjs).
#include "actors/cafio.hpp"
#include "apps.hpp"

namespace cafio::node {

namespace {

using namespace std::chrono_literals;

std::string string_at(const args& a, std::size_t i) {
  return i < a.size() && a[i].is_string() ? a[i].get<std::string>() : std::string();
}

}  // namespace

void install_bench_app(server& io) {
  io.on_connection([](socket& s) {
    // socket.join(room); ack("ok"): answered once the room has the socket,
    // so that a broadcast emitted after the ack reaches it.
    s.on("join", [&s](args& a, ack k) { s.join(string_at(a, 0), [k] { k("ok"); }); });
    // io.to(room).emit(event, payload): the sender too, if it is a member.
    s.on("io-to", [&s](args& a) {
      if (a.size() < 2) return;
      args payload(a.begin() + 2, a.end());
      s.nsp().to(string_at(a, 0)).emit(string_at(a, 1), std::move(payload));
    });
    s.on("message-with-ack", [](args& a, ack k) { k.send(std::move(a)); });
  });
}

}  // namespace cafio::node
