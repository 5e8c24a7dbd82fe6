// The end of sockets and connections: client and server namespace
// disconnects, disconnect(true), the session going away, malformed packets.
#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/actor/world.hpp"

using namespace std::chrono_literals;
using cafio::json;
using cafio::test::fake_client;
using cafio::test::session_record;
using cafio::test::world;

namespace {

/// Records "disconnecting" and "disconnect" with the socket's id, namespace,
/// reason and rooms; answers ["join", room] like rooms_test's app.
void install_lifecycle(world& w, const std::string& nsp) {
  w.of(nsp).on_connection([journal = w.journal()](cafio::socket& s) {
    for (auto event : {"disconnecting", "disconnect"}) {
      s.on(event, [&s, journal, event](cafio::args& a) {
        journal->add({{"what", event},
                      {"id", s.id()},
                      {"nsp", s.nsp_name()},
                      {"reason", a.at(0)},
                      {"connected", s.connected()},
                      {"rooms", cafio::test::rooms_of(s)}});
      });
    }
    s.on("join", [&s](cafio::args& a, cafio::ack ack) {
      s.join(a.at(0).get<std::string>(), [&s, ack] { ack(cafio::test::rooms_of(s)); });
    });
  });
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

/// Waits (bounded) until exactly `n` actors run, and says how many do.
std::size_t wait_running(world& w, std::size_t n) {
  auto deadline = std::chrono::steady_clock::now() + cafio::test::wait_limit;
  while (w.running_actors() != n && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(1ms);
  return w.running_actors();
}

}  // namespace

TEST_CASE(
    "A client DISCONNECT: disconnecting sees the rooms, disconnect sees the reason and no rooms",
    "[lifecycle]") {
  world w;
  install_lifecycle(w, "/");
  auto& c = w.client();
  auto sid = c.connect();
  c.call(json::array({"join", "r"}));
  c.send("1");
  REQUIRE(w.journal()->wait_count("disconnect", 1));
  auto entries = w.journal()->entries();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0]["what"] == "disconnecting");
  CHECK(entries[0]["id"] == sid);
  CHECK(entries[0]["reason"] == "client namespace disconnect");
  CHECK(entries[0]["rooms"] == json(sorted({"r", sid})));
  CHECK(entries[1]["what"] == "disconnect");
  CHECK(entries[1]["reason"] == "client namespace disconnect");
  CHECK(entries[1]["connected"] == false);
  CHECK(entries[1]["rooms"] == json::array());
  // Nothing goes to the client: it left by itself.
  CHECK_FALSE(c.log->wait_for_close(50ms));
  CHECK(c.log->texts().size() == 2);  // the CONNECT answer and the ack of "join"
}

TEST_CASE("A disconnected socket leaves the namespace, its empty rooms stop and the others stay",
          "[lifecycle][rooms]") {
  world w;
  install_lifecycle(w, "/");
  auto& a = w.client();
  auto& b = w.client();
  auto ida = a.connect();
  auto idb = b.connect();
  a.call(json::array({"join", "shared"}));
  a.call(json::array({"join", "solo"}));
  b.call(json::array({"join", "shared"}));
  CHECK(w.members("/", {}) == sorted({ida, idb}));
  // Running: registry, namespace, 2 sessions, 2 clients, 2 sockets, and the
  // actor of "shared", the only room with two members (a room with a single
  // member, as each socket's own room and "solo", has no actor).
  auto before = w.running_actors();

  a.send("1");
  REQUIRE(w.journal()->wait_count("disconnect", 1));
  CHECK(w.members("/", {}) == std::vector<std::string>{idb});
  CHECK(w.members("/", {{"solo"}, {}, false}).empty());
  CHECK(w.members("/", {{"shared"}, {}, false}) == std::vector<std::string>{idb});
  // Socket A stops; "shared" keeps its actor.
  CHECK(wait_running(w, before - 1) == before - 1);
  // "shared" still delivers to B.
  w.of("/").to("shared").emit("still", 1);
  REQUIRE(b.log->wait_for_text(R"(42["still",1])"));
  CHECK(w.running_actors() == before - 1);

  b.send("1");
  REQUIRE(w.journal()->wait_count("disconnect", 2));
  CHECK(w.members("/", {}).empty());
  CHECK(w.members("/", {{"shared"}, {}, false}).empty());
  // Socket B and the actor of "shared" stop.
  CHECK(wait_running(w, before - 3) == before - 3);

  // The client connections stay; a client may connect the namespace again.
  auto again = a.connect();
  CHECK(again != ida);
  CHECK(w.members("/", {}) == std::vector<std::string>{again});
}

TEST_CASE("socket.disconnect() sends 41 and disconnects with 'server namespace disconnect'",
          "[lifecycle]") {
  world w;
  install_lifecycle(w, "/");
  install_lifecycle(w, "/chat");
  auto& c = w.client();
  auto sid = c.connect("/");
  auto chat = c.connect("/chat");
  w.run(chat, [](cafio::socket& s) { s.disconnect(); });
  REQUIRE(c.log->wait_for_text("41/chat,"));
  auto gone = w.journal()->wait_for("disconnect");
  REQUIRE(gone);
  CHECK((*gone)["id"] == chat);
  CHECK((*gone)["reason"] == "server namespace disconnect");
  auto disconnecting = w.journal()->all("disconnecting");
  REQUIRE(disconnecting.size() == 1);
  CHECK(disconnecting[0]["rooms"] == json::array({chat}));
  CHECK(w.members("/chat", {}).empty());
  // The connection and its other namespace stay.
  CHECK_FALSE(c.log->wait_for_close(50ms));
  CHECK(w.members("/", {}) == std::vector<std::string>{sid});
  w.barrier(c, sid);
  // The client may connect the namespace again.
  auto again = c.connect("/chat");
  CHECK(again != chat);

  w.run(sid, [](cafio::socket& s) { s.disconnect(); });
  REQUIRE(c.log->wait_for_text("41"));
  REQUIRE(w.journal()->wait_count("disconnect", 2));
  CHECK(w.journal()->all("disconnect")[1]["reason"] == "server namespace disconnect");
}

TEST_CASE("socket.disconnect(true) sends 41 for every namespace, then closes the session",
          "[lifecycle]") {
  world w;
  install_lifecycle(w, "/");
  install_lifecycle(w, "/chat");
  auto& c = w.client();
  auto sid = c.connect("/");
  c.connect("/chat");
  auto connected = c.log->wait_for_prefix("40/chat,");
  REQUIRE(connected);
  w.run(sid, [](cafio::socket& s) { s.disconnect(true); });
  auto close = c.log->wait_for_close();
  REQUIRE(close);
  REQUIRE(w.journal()->wait_count("disconnect", 2));
  // Order on the session: both DISCONNECTs, then the close request.
  auto records = c.log->records();
  auto tail = std::vector<std::string>{};
  for (auto& r : records)
    if (r.seq > connected->seq)
      tail.push_back(r.what == session_record::kind::close ? "<close>" : r.data);
  REQUIRE(tail.size() == 3);
  CHECK(tail[2] == "<close>");
  CHECK(sorted({tail[0], tail[1]}) == sorted({"41", "41/chat,"}));
  for (auto& e : w.journal()->all("disconnect"))
    CHECK(e["reason"] == "server namespace disconnect");
  CHECK(w.members("/", {}).empty());
  CHECK(w.members("/chat", {}).empty());
}

TEST_CASE("A session closed by ping timeout disconnects its sockets with 'ping timeout'",
          "[lifecycle]") {
  world w;
  install_lifecycle(w, "/");
  install_lifecycle(w, "/chat");
  auto& c = w.client();
  c.connect("/");
  c.connect("/chat");
  c.closed(cafio::transport::close_reason::ping_timeout);
  REQUIRE(w.journal()->wait_count("disconnect", 2));
  for (auto& e : w.journal()->all("disconnect")) CHECK(e["reason"] == "ping timeout");
  auto disconnecting = w.journal()->all("disconnecting");
  REQUIRE(disconnecting.size() == 2);
  for (auto& e : disconnecting) CHECK(e["rooms"] == json::array({e["id"]}));
  CHECK(w.members("/", {}).empty());
  CHECK(w.members("/chat", {}).empty());
  // The session is gone already: nothing is sent to it.
  CHECK(c.log->texts().size() == 2);
  CHECK_FALSE(c.log->wait_for_close(50ms));
}

TEST_CASE("A session closed by the transport disconnects its sockets with 'transport close'",
          "[lifecycle]") {
  world w;
  install_lifecycle(w, "/");
  auto& c = w.client();
  c.connect("/");
  c.closed(cafio::transport::close_reason::transport_close);
  auto gone = w.journal()->wait_for("disconnect");
  REQUIRE(gone);
  CHECK((*gone)["reason"] == "transport close");
  CHECK(w.members("/", {}).empty());
}

TEST_CASE("Each session close reason maps onto its socket disconnect reason", "[lifecycle]") {
  using cafio::transport::close_reason;
  auto [reason, expected] = GENERATE(table<close_reason, std::string>({
      {close_reason::transport_close, "transport close"},
      {close_reason::transport_error, "transport error"},
      {close_reason::ping_timeout, "ping timeout"},
      {close_reason::parse_error, "parse error"},
      {close_reason::forced_close, "forced close"},
      {close_reason::server_shutting_down, "server shutting down"},
  }));
  world w;
  install_lifecycle(w, "/");
  auto& c = w.client();
  c.connect("/");
  c.closed(reason);
  auto gone = w.journal()->wait_for("disconnect");
  REQUIRE(gone);
  CHECK((*gone)["reason"] == expected);
}

TEST_CASE("A malformed packet closes the session and the sockets see 'forced close'",
          "[lifecycle][malformed]") {
  // What the client gets is the Engine.IO message's data: "abc" is the
  // wire frame "4abc".
  auto bad = GENERATE(as<std::string>{}, "abc", "2[", "2{}", R"(2[])", R"(2["disconnect"])",
                      R"(51-["x",{"_placeholder":true,"num":0}])"
                      "\n",  // a text message where an attachment is due
                      R"(2/never-joined,["x"])", "<binary>");
  world w;
  install_lifecycle(w, "/");
  auto& c = w.client();
  auto sid = c.connect("/");
  INFO("message " << bad);
  if (bad == "<binary>") {
    c.send_binary("\x01");  // no attachment was announced
  } else if (bad.back() == '\n') {
    c.send(bad.substr(0, bad.size() - 1));
    c.send(R"(2["x"])");
  } else {
    c.send(bad);
  }
  auto close = c.log->wait_for_close();
  REQUIRE(close);
  auto gone = w.journal()->wait_for("disconnect");
  REQUIRE(gone);
  CHECK((*gone)["id"] == sid);
  // A packet for a namespace never joined is not malformed but an invalid
  // state: the server closes the client ("forced server close").
  auto expected = bad.rfind("2/never-joined", 0) == 0 ? "forced server close" : "forced close";
  CHECK((*gone)["reason"] == expected);
  // No DISCONNECT packet: the connection is closed instead.
  CHECK(c.log->count_text("41") == 0);
  CHECK(w.members("/", {}).empty());
}

TEST_CASE("A connection still in its connect middlewares at connect_timeout is closed",
          "[lifecycle][timeout]") {
  world w;
  w.of("/").use([](cafio::socket&, cafio::next) { /* never calls next */ });
  cafio::client_options options;
  options.connect_timeout = 100ms;
  auto& c = w.client(options);
  c.send("0");
  CHECK(c.log->wait_for_close(1000ms));
}

TEST_CASE("A connection that connected in time stays open after leaving every namespace",
          "[lifecycle][timeout]") {
  world w;
  w.of("/");
  cafio::client_options options;
  options.connect_timeout = 100ms;
  auto& c = w.client(options);
  c.connect("/");
  c.send("1");
  CHECK_FALSE(c.log->wait_for_close(400ms));
}

TEST_CASE("A client may CONNECT a namespace again as soon as the server disconnected it",
          "[lifecycle]") {
  world w;
  w.of("/");
  w.of("/chat");
  auto& c = w.client();
  for (int round = 0; round < 100; ++round) {
    INFO("round " << round);
    // From the second round on, sent right after the DISCONNECT arrived.
    auto id = c.connect("/chat");  // REQUIREs the CONNECT answer
    auto from = c.log->size();
    w.run(id, [](cafio::socket& s) { s.disconnect(); });
    REQUIRE(c.log->wait_for_text("41/chat,", from));
  }
}
