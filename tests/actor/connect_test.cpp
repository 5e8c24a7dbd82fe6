// CONNECT: the answer, the connection handler, unknown namespaces, connect
// middlewares and connectTimeout.
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/actor/world.hpp"

using namespace std::chrono_literals;
using cafio::json;
using cafio::test::world;

TEST_CASE(
    "CONNECT to / answers 40 with a sid, and the connection handler runs with it in its own room",
    "[connect]") {
  world w;
  auto journal = w.journal();
  w.of("/").on_connection([journal](cafio::socket& s) {
    journal->add({{"what", "connection"},
                  {"id", s.id()},
                  {"nsp", s.nsp_name()},
                  {"connected", s.connected()},
                  {"rooms", cafio::test::rooms_of(s)}});
  });
  auto& c = w.client();
  c.send("0");
  auto answer = c.log->wait_for_prefix("40{");
  REQUIRE(answer);
  auto sid = json::parse(answer->data.substr(2)).at("sid").get<std::string>();
  CHECK_FALSE(sid.empty());
  CHECK(answer->data == "40" + json{{"sid", sid}}.dump());
  auto seen = journal->wait_for("connection");
  REQUIRE(seen);
  CHECK((*seen)["id"] == sid);
  CHECK((*seen)["nsp"] == "/");
  CHECK((*seen)["connected"] == true);
  CHECK((*seen)["rooms"] == json::array({sid}));
  // The namespace lists it.
  CHECK(w.members("/", {}) == std::vector<std::string>{sid});
  // Nothing but the CONNECT answer was sent, and the session stays open.
  w.barrier(c, sid);
  CHECK(c.log->texts() == std::vector<std::string>{answer->data, R"(42["barrier",1])"});
}

TEST_CASE("CONNECT to an unknown namespace answers 44 Invalid namespace", "[connect]") {
  world w;
  w.of("/");
  auto& c = w.client();
  c.send("0/nope,");
  REQUIRE(c.log->wait_for_text(R"(44/nope,{"message":"Invalid namespace"})"));
  // The connection itself survives: "/" still connects.
  auto sid = c.connect("/");
  CHECK_FALSE(sid.empty());
  CHECK_FALSE(c.log->wait_for_close(50ms));
}

TEST_CASE("A connect middleware refusing with next(error) answers 44 with its message",
          "[connect][middleware]") {
  world w;
  auto journal = w.journal();
  w.of("/private")
      .use([](cafio::socket&, cafio::next next) {
        next(cafio::middleware_error{"unauthorized", json()});
      })
      .on_connection([journal](cafio::socket& s) {
        journal->add({{"what", "connection"}, {"id", s.id()}});
      });
  auto& c = w.client();
  c.send("0/private,");
  REQUIRE(c.log->wait_for_text(R"(44/private,{"message":"unauthorized"})"));
  CHECK(w.members("/private", {}).empty());
  CHECK(journal->all("connection").empty());
}

TEST_CASE("A connect middleware's error data goes out as CONNECT_ERROR data",
          "[connect][middleware]") {
  world w;
  w.of("/private").use([](cafio::socket&, cafio::next next) {
    next(cafio::middleware_error{"unauthorized", json{{"retry", false}}});
  });
  auto& c = w.client();
  c.send("0/private,");
  auto answer = c.log->wait_for_prefix("44/private,");
  REQUIRE(answer);
  CHECK(json::parse(answer->data.substr(11)) ==
        json{{"message", "unauthorized"}, {"data", {{"retry", false}}}});
}

TEST_CASE("A connect middleware calling next() lets the socket connect, with the auth payload",
          "[connect][middleware]") {
  world w;
  auto journal = w.journal();
  w.of("/private")
      .use([](cafio::socket& s, cafio::next next) {
        if (s.handshake().auth.value("token", "") == "secret")
          next();
        else
          next(cafio::middleware_error{"unauthorized", json()});
      })
      .on_connection([journal](cafio::socket& s) {
        journal->add({{"what", "connection"}, {"id", s.id()}, {"auth", s.handshake().auth}});
      });
  auto& refused = w.client();
  refused.send(R"(0/private,{"token":"guess"})");
  REQUIRE(refused.log->wait_for_text(R"(44/private,{"message":"unauthorized"})"));

  auto& accepted = w.client();
  auto sid = accepted.connect("/private", json{{"token", "secret"}});
  auto seen = journal->wait_for("connection");
  REQUIRE(seen);
  CHECK((*seen)["id"] == sid);
  CHECK((*seen)["auth"] == json{{"token", "secret"}});
  CHECK(w.members("/private", {}) == std::vector<std::string>{sid});
}

TEST_CASE("A connect middleware may call next() later, from another thread",
          "[connect][middleware]") {
  world w;
  // Declared after `w`: joined before the actor system goes.
  struct joiner {
    std::mutex mutex;
    std::vector<std::thread> threads;
    ~joiner() {
      for (auto& t : threads) t.join();
    }
  } later;
  w.of("/").use([&later](cafio::socket&, cafio::next next) {
    std::lock_guard<std::mutex> guard{later.mutex};
    later.threads.emplace_back([next] {
      std::this_thread::sleep_for(20ms);
      next();
    });
  });
  auto& c = w.client();
  auto sid = c.connect("/");
  CHECK_FALSE(sid.empty());
}

TEST_CASE("A client that does not CONNECT within connect_timeout is closed", "[connect][timeout]") {
  world w;
  w.of("/");
  cafio::client_options options;
  options.connect_timeout = 100ms;
  auto& idle = w.client(options);
  auto& connected = w.client(options);
  connected.connect("/");
  auto start = std::chrono::steady_clock::now();
  auto close = idle.log->wait_for_close();
  REQUIRE(close);
  CHECK(std::chrono::steady_clock::now() - start < 1500ms);
  CHECK(idle.log->texts().empty());
  // A client that connected in time stays open.
  CHECK_FALSE(connected.log->wait_for_close(300ms));
}

TEST_CASE("An Engine.IO v3 client (socket.io 2) is connected to / at once, with the Engine.IO sid",
          "[connect][v4]") {
  world w;
  auto journal = w.journal();
  auto record = [journal](cafio::socket& s) {
    journal->add({{"what", "connection"}, {"id", s.id()}, {"auth", s.handshake().auth}});
  };
  w.of("/").on_connection(record);
  w.of("/chat").on_connection(record);
  auto& c = w.client({}, cafio::engineio::protocol_version::v3);
  // Protocol v4: the CONNECT answer carries no sid, the ids derive from the
  // Engine.IO sid.
  REQUIRE(c.log->wait_for_text("40"));
  auto root = journal->wait_for("connection");
  REQUIRE(root);
  CHECK((*root)["id"] == "engine-1");
  // socket.io 2 passes auth as the namespace's query.
  c.send("0/chat?token=abc,");
  REQUIRE(c.log->wait_for_text("40/chat,"));
  REQUIRE(journal->wait_count("connection", 2));
  auto chat = journal->all("connection").at(1);
  CHECK(chat["id"] == "/chat#engine-1");
  CHECK(chat["auth"] == json{{"token", "abc"}});
}

TEST_CASE("A second CONNECT for a connected namespace closes the connection (invalid state)",
          "[connect]") {
  world w;
  auto journal = w.journal();
  w.of("/").on_connection([journal](cafio::socket& s) {
    auto id = s.id();
    s.on("disconnect", [journal, id](cafio::args& a) {
      journal->add({{"what", "disconnect"}, {"id", id}, {"reason", a.at(0)}});
    });
  });
  auto& c = w.client();
  auto sid = c.connect("/");
  c.send("0");
  CHECK(c.log->wait_for_close(1000ms));
  auto gone = journal->wait_for("disconnect");
  REQUIRE(gone);
  CHECK((*gone)["id"] == sid);
  CHECK((*gone)["reason"] == "forced server close");
}
