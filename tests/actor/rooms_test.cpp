// Rooms and broadcasts with three sockets A, B and C, each on its own fake
// session: join/leave, the namespace's member queries, socket.to, io.to,
// several target rooms, except, socket.broadcast, empty rooms, and the ack
// fence.
//
// Who must NOT receive is checked deterministically: after the sender's ack
// (the fence: every target socket has the broadcast in its mailbox), each
// socket emits a barrier to its own session; once every barrier is there,
// every delivery that was ever going to happen has been recorded.
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/actor/world.hpp"

using cafio::json;
using cafio::test::fake_client;
using cafio::test::world;

namespace {

/// The application of these tests. Commands (with an ack):
///   ["join", room | [rooms]]   → ack(rooms)
///   ["leave", room]            → ack(rooms)
///   ["rooms"]                  → ack(rooms)
///   ["emit", spec, payload]    → emits ["news", payload] through the
///       broadcast operator `spec` describes, then ack(). spec: {"from":
///       "socket" (socket.broadcast, the default) or "io" (socket.nsp()),
///       "to": [rooms], "except": [rooms]}.
void install_app(cafio::namespace_handle ns) {
  ns.on_connection([](cafio::socket& s) {
    s.on("join", [&s](cafio::args& a, cafio::ack ack) {
      auto rooms = a.at(0).is_array() ? a.at(0).get<std::vector<std::string>>()
                                      : std::vector<std::string>{a.at(0).get<std::string>()};
      s.join(rooms, [&s, ack] { ack(cafio::test::rooms_of(s)); });
    });
    s.on("leave", [&s](cafio::args& a, cafio::ack ack) {
      s.leave(a.at(0).get<std::string>(), [&s, ack] { ack(cafio::test::rooms_of(s)); });
    });
    s.on("rooms", [&s](cafio::args&, cafio::ack ack) { ack(cafio::test::rooms_of(s)); });
    s.on("emit", [&s](cafio::args& a, cafio::ack ack) {
      auto& spec = a.at(0);
      auto op = spec.value("from", "socket") == "io"
                    ? cafio::broadcast_operator{s.nsp().actor(), s.nsp_name()}
                    : s.broadcast();
      for (auto& room : spec.value("to", json::array())) op = op.to(room.get<std::string>());
      for (auto& room : spec.value("except", json::array()))
        op = op.except(room.get<std::string>());
      op.emit("news", a.at(1));
      ack();
    });
  });
}

struct trio {
  world w;
  fake_client* a = nullptr;
  fake_client* b = nullptr;
  fake_client* c = nullptr;
  std::string ida, idb, idc;

  trio() {
    install_app(w.of("/"));
    a = &w.client();
    b = &w.client();
    c = &w.client();
    ida = a->connect();
    idb = b->connect();
    idc = c->connect();
  }

  void join(fake_client& x, json rooms) { x.call(json::array({"join", std::move(rooms)})); }

  /// `from` emits ["news", payload] through `spec`; returns once it has the ack.
  void emit(fake_client& from, json spec, const json& payload) {
    CHECK(from.call(json::array({"emit", std::move(spec), payload})) == json::array());
  }

  /// How many times A, B and C got ["news", payload], once nothing more can come.
  std::vector<std::size_t> deliveries(const json& payload) {
    w.barrier(*a, ida);
    w.barrier(*b, idb);
    w.barrier(*c, idc);
    auto text = "42" + json::array({"news", payload}).dump();
    return {a->log->count_text(text), b->log->count_text(text), c->log->count_text(text)};
  }
};

using counts = std::vector<std::size_t>;

}  // namespace

TEST_CASE("join and leave update rooms() and the namespace's member lists", "[rooms]") {
  trio t;
  CHECK(t.a->call(json::array({"rooms"})) == json::array({json::array({t.ida})}));
  auto rooms = t.a->call(json::array({"join", "r1"}));
  auto expected = std::vector<std::string>{"r1", t.ida};
  std::sort(expected.begin(), expected.end());
  CHECK(rooms == json::array({expected}));
  // Joining twice is a no-op.
  CHECK(t.a->call(json::array({"join", "r1"})) == json::array({expected}));
  t.join(*t.b, {"r1", "r2"});
  t.join(*t.c, "r2");

  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  CHECK(t.w.members("/", {{"r1"}, {}, false}) == sorted({t.ida, t.idb}));
  CHECK(t.w.members("/", {{"r2"}, {}, false}) == sorted({t.idb, t.idc}));
  CHECK(t.w.members("/", {{"r1", "r2"}, {}, false}) == sorted({t.ida, t.idb, t.idc}));
  CHECK(t.w.members("/", {{"r2"}, {"r1"}, false}) == std::vector<std::string>{t.idc});
  CHECK(t.w.members("/", {{t.idb}, {}, false}) == std::vector<std::string>{t.idb});
  CHECK(t.w.members("/", {{"nobody"}, {}, false}).empty());
  CHECK(t.w.members("/", {}) == sorted({t.ida, t.idb, t.idc}));

  // The same through the public API, from outside any socket.
  std::vector<std::string> ids;
  t.w.of("/").to("r2").fetch_socket_ids([&](std::vector<std::string> x) { ids = std::move(x); });
  CHECK(sorted(ids) == sorted({t.idb, t.idc}));

  CHECK(t.a->call(json::array({"leave", "r1"})) == json::array({json::array({t.ida})}));
  // Leaving a room one is not in is a no-op.
  CHECK(t.a->call(json::array({"leave", "r1"})) == json::array({json::array({t.ida})}));
  CHECK(t.w.members("/", {{"r1"}, {}, false}) == std::vector<std::string>{t.idb});
  // Other sockets are unaffected.
  CHECK(t.c->call(json::array({"rooms"})) == json::array({sorted({"r2", t.idc})}));
}

TEST_CASE("socket.to(room).emit reaches the room's members but not the sender", "[broadcast]") {
  trio t;
  t.join(*t.a, "r");
  t.join(*t.b, "r");
  t.emit(*t.a, {{"to", {"r"}}}, 1);
  CHECK(t.deliveries(1) == counts{0, 1, 0});
}

TEST_CASE("io.to(room).emit reaches every member, the emitting socket included", "[broadcast]") {
  trio t;
  t.join(*t.a, "r");
  t.join(*t.b, "r");
  // From inside A's handler, through socket.nsp().
  t.emit(*t.a, {{"from", "io"}, {"to", {"r"}}}, 1);
  CHECK(t.deliveries(1) == counts{1, 1, 0});
  // From outside any socket, through the namespace handle.
  t.w.of("/").to("r").emit("news", 2);
  auto text = R"(42["news",2])";
  REQUIRE(t.a->log->wait_for_text(text));
  REQUIRE(t.b->log->wait_for_text(text));
  CHECK(t.deliveries(2) == counts{1, 1, 0});
}

TEST_CASE("to(r1).to(r2) delivers once to a socket in both rooms", "[broadcast]") {
  trio t;
  t.join(*t.a, {"r1", "r2"});
  t.join(*t.b, {"r1", "r2"});
  t.join(*t.c, "r2");
  t.emit(*t.a, {{"to", {"r1", "r2"}}}, 1);
  CHECK(t.deliveries(1) == counts{0, 1, 1});
  t.emit(*t.c, {{"from", "io"}, {"to", {"r1", "r2"}}}, 2);
  CHECK(t.deliveries(2) == counts{1, 1, 1});
  // Many in a row: each broadcast is told apart by its id.
  for (int i = 3; i < 10; ++i) t.emit(*t.c, {{"from", "io"}, {"to", {"r2", "r1"}}}, i);
  for (int i = 3; i < 10; ++i) CHECK(t.deliveries(i) == counts{1, 1, 1});
}

TEST_CASE("except(room) skips the room's members", "[broadcast]") {
  trio t;
  t.join(*t.a, "all");
  t.join(*t.b, {"all", "quiet"});
  t.join(*t.c, "all");
  t.emit(*t.a, {{"except", {"quiet"}}}, 1);
  CHECK(t.deliveries(1) == counts{0, 0, 1});
  t.emit(*t.a, {{"to", {"all"}}, {"except", {"quiet"}}}, 2);
  CHECK(t.deliveries(2) == counts{0, 0, 1});
  t.emit(*t.a, {{"from", "io"}, {"to", {"all"}}, {"except", {"quiet"}}}, 3);
  CHECK(t.deliveries(3) == counts{1, 0, 1});
  t.emit(*t.a, {{"from", "io"}, {"except", {t.idc}}}, 4);
  CHECK(t.deliveries(4) == counts{1, 1, 0});
}

TEST_CASE("socket.broadcast reaches every socket of the namespace but the sender", "[broadcast]") {
  trio t;
  t.emit(*t.b, json::object(), 1);
  CHECK(t.deliveries(1) == counts{1, 0, 1});
  t.emit(*t.b, {{"from", "io"}}, 2);
  CHECK(t.deliveries(2) == counts{1, 1, 1});
  // Sockets of other namespaces are not reached.
  t.w.of("/other");
  auto& d = t.w.client();
  auto idd = d.connect("/other");
  t.emit(*t.a, json::object(), 3);
  CHECK(t.deliveries(3) == counts{0, 1, 1});
  t.w.barrier(d, idd, "/other");
  for (auto& text : d.log->texts()) CHECK(text.find("news") == std::string::npos);
}

TEST_CASE("A broadcast to an empty room reaches nobody", "[broadcast]") {
  trio t;
  t.join(*t.b, "r");
  t.emit(*t.a, {{"to", {"nobody"}}}, 1);
  CHECK(t.deliveries(1) == counts{0, 0, 0});
  t.emit(*t.a, {{"from", "io"}, {"to", {"nobody"}}}, 2);
  CHECK(t.deliveries(2) == counts{0, 0, 0});
  // A room everybody left is empty too.
  CHECK(t.b->call(json::array({"leave", "r"})) == json::array({json::array({t.idb})}));
  t.emit(*t.a, {{"from", "io"}, {"to", {"r"}}}, 3);
  CHECK(t.deliveries(3) == counts{0, 0, 0});
}

TEST_CASE("The ack fence: after the sender's ack, the members' sockets have the broadcast",
          "[broadcast][fence]") {
  // What the design guarantees (room_actor: "answers once all have it in
  // their mailbox"): once the sender's session has the ack, anything a
  // member's socket sends afterwards comes after the broadcast.
  trio t;
  t.join(*t.b, "r");
  t.join(*t.c, "r");
  for (int i = 0; i < 20; ++i) {
    t.emit(*t.a, {{"to", {"r"}}}, i);
    auto text = "42" + json::array({"news", i}).dump();
    for (auto [client, id] : {std::pair{t.b, t.idb}, std::pair{t.c, t.idc}}) {
      // Enqueued by the test after it saw the ack.
      t.w.barrier(*client, id);
      auto records = client->log->records();
      auto news =
          std::find_if(records.begin(), records.end(), [&](auto& r) { return r.data == text; });
      INFO("round " << i);
      REQUIRE(news != records.end());
    }
  }
}

TEST_CASE(
    "The ack fence: the members' sessions have the broadcast before the sender's session has "
    "the ack",
    "[broadcast][fence]") {
  trio t;
  t.join(*t.b, "r");
  t.join(*t.c, "r");
  for (int i = 0; i < 20; ++i) {
    auto id = std::to_string(t.a->next_ack_id++);
    t.a->send("2" + id + json::array({"emit", {{"to", {"r"}}}, i}).dump());
    auto ack = t.a->log->wait_for_text("43" + id + "[]");
    REQUIRE(ack);
    auto text = "42" + json::array({"news", i}).dump();
    auto news_b = t.b->log->wait_for_text(text);
    auto news_c = t.c->log->wait_for_text(text);
    REQUIRE(news_b);
    REQUIRE(news_c);
    INFO("round " << i << ": ack #" << ack->seq << ", B's event #" << news_b->seq << ", C's event #"
                  << news_c->seq);
    CHECK(news_b->seq < ack->seq);
    CHECK(news_c->seq < ack->seq);
  }
}

TEST_CASE("A socket's own room: others may join it, and the socket may leave it", "[rooms]") {
  trio t;
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  // B joins the room named by A's id: a broadcast to it reaches both.
  t.join(*t.b, t.ida);
  CHECK(t.w.members("/", {{t.ida}, {}, false}) == sorted({t.ida, t.idb}));
  t.emit(*t.c, {{"to", {t.ida}}}, 1);
  CHECK(t.deliveries(1) == counts{1, 1, 0});
  // except(A's id) skips A and B alike.
  t.emit(*t.c, {{"from", "io"}, {"except", {t.ida}}}, 2);
  CHECK(t.deliveries(2) == counts{0, 0, 1});
  // A leaves its own room: B is still in it, A no longer.
  CHECK(t.a->call(json::array({"leave", t.ida})) == json::array({json::array()}));
  CHECK(t.w.members("/", {{t.ida}, {}, false}) == std::vector<std::string>{t.idb});
  t.emit(*t.c, {{"to", {t.ida}}}, 3);
  CHECK(t.deliveries(3) == counts{0, 1, 0});
  // B leaves too: the room is empty; A comes back alone.
  CHECK(t.b->call(json::array({"leave", t.ida})) == json::array({json::array({t.idb})}));
  t.emit(*t.c, {{"to", {t.ida}}}, 4);
  CHECK(t.deliveries(4) == counts{0, 0, 0});
  t.join(*t.a, t.ida);
  CHECK(t.w.members("/", {{t.ida}, {}, false}) == std::vector<std::string>{t.ida});
  t.emit(*t.c, {{"to", {t.ida}}}, 5);
  CHECK(t.deliveries(5) == counts{1, 0, 0});
}
