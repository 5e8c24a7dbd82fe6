// Events both ways: dispatch to listeners, acks both ways, once/off, ack
// timeouts, binary attachments in and out.
#include <algorithm>
#include <chrono>
#include <iterator>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/actor/world.hpp"

using namespace std::chrono_literals;
using cafio::json;
using cafio::test::world;

namespace {

/// Every socket answers ["sync"] with an empty ack: a fence for what the
/// client sent before it (a socket handles its client's packets in order).
void install_sync(cafio::socket& s) {
  s.on("sync", [](cafio::args&, cafio::ack ack) { ack(); });
}

json bytes_json(const json& value) {
  auto bytes = cafio::bytes_of(value);
  if (!bytes) return nullptr;
  std::vector<int> result;
  for (unsigned char byte : *bytes) result.push_back(byte);
  return json(result);
}

}  // namespace

TEST_CASE("An event reaches every on handler of its name with its arguments", "[events]") {
  world w;
  auto journal = w.journal();
  w.of("/").on_connection([journal](cafio::socket& s) {
    s.on("chat", [journal](cafio::args& a) { journal->add({{"what", "first"}, {"args", a}}); });
    s.on("chat", [journal](cafio::args& a) { journal->add({{"what", "second"}, {"args", a}}); });
    s.on("other", [journal](cafio::args& a) { journal->add({{"what", "other"}, {"args", a}}); });
  });
  auto& c = w.client();
  c.connect();
  c.send(R"(2["chat","hi",{"n":1},[true,null]])");
  REQUIRE(journal->wait_count("second", 1));
  auto expected = json::array({"hi", {{"n", 1}}, json::array({true, nullptr})});
  CHECK(journal->all("first").at(0)["args"] == expected);
  CHECK(journal->all("second").at(0)["args"] == expected);
  CHECK(journal->all("other").empty());
  // Both in registration order.
  auto entries = journal->entries();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0]["what"] == "first");
}

TEST_CASE("A handler's ack answers 43<id>[...], in the event's namespace", "[events][ack]") {
  world w;
  auto sum = [](cafio::socket& s) {
    s.on("sum", [](cafio::args& a, cafio::ack ack) {
      ack(a.at(0).get<int>() + a.at(1).get<int>(), "done");
      ack("ignored: an ack answers once");
    });
  };
  w.of("/").on_connection(sum);
  w.of("/chat").on_connection(sum);
  auto& c = w.client();
  c.connect("/");
  c.connect("/chat");
  c.send(R"(27["sum",1,2])");
  REQUIRE(c.log->wait_for_text(R"(437[3,"done"])"));
  c.send(R"(2/chat,8["sum",2,3])");
  REQUIRE(c.log->wait_for_text(R"(43/chat,8[5,"done"])"));
  CHECK(c.call(json::array({"sum", 40, 2})) == json::array({42, "done"}));
  CHECK(c.log->count_text(R"(437[3,"done"])") == 1);
}

TEST_CASE("An event without an ack id gets no ack even if the handler calls it", "[events][ack]") {
  world w;
  auto journal = w.journal();
  w.of("/").on_connection([journal](cafio::socket& s) {
    install_sync(s);
    s.on("fire", [journal](cafio::args&, cafio::ack ack) {
      journal->add({{"what", "fire"}, {"has_ack", static_cast<bool>(ack)}});
      ack("nobody listens");
    });
  });
  auto& c = w.client();
  c.connect();
  c.send(R"(2["fire"])");
  c.call(json::array({"sync"}));
  REQUIRE(journal->all("fire").size() == 1);
  CHECK(journal->all("fire")[0]["has_ack"] == false);
  for (auto& text : c.log->texts()) CHECK(text.find("nobody listens") == std::string::npos);
}

TEST_CASE("once fires once", "[events]") {
  world w;
  auto journal = w.journal();
  w.of("/").on_connection([journal](cafio::socket& s) {
    install_sync(s);
    s.once("hello", [journal](cafio::args& a) { journal->add({{"what", "hello"}, {"args", a}}); });
  });
  auto& c = w.client();
  c.connect();
  c.send(R"(2["hello",1])");
  c.send(R"(2["hello",2])");
  c.send(R"(2["hello",3])");
  c.call(json::array({"sync"}));
  auto seen = journal->all("hello");
  REQUIRE(seen.size() == 1);
  CHECK(seen[0]["args"] == json::array({1}));
}

TEST_CASE("off removes the listeners of an event", "[events]") {
  world w;
  auto journal = w.journal();
  w.of("/").on_connection([journal](cafio::socket& s) {
    install_sync(s);
    s.on("tick", [journal](cafio::args& a) { journal->add({{"what", "tick"}, {"args", a}}); });
    s.on("tick", [journal](cafio::args& a) { journal->add({{"what", "tick"}, {"args", a}}); });
    s.on("stop", [&s, journal](cafio::args&, cafio::ack ack) {
      s.off("tick");
      ack(s.listener_count("tick"));
    });
  });
  auto& c = w.client();
  c.connect();
  c.send(R"(2["tick",1])");
  CHECK(c.call(json::array({"stop"})) == json::array({0}));
  c.send(R"(2["tick",2])");
  c.call(json::array({"sync"}));
  auto seen = journal->all("tick");
  REQUIRE(seen.size() == 2);  // both listeners, once
  CHECK(seen[0]["args"] == json::array({1}));
  CHECK(seen[1]["args"] == json::array({1}));
}

TEST_CASE("emit_with_ack: the client's ACK calls the callback with its values", "[events][ack]") {
  world w;
  auto journal = w.journal();
  w.of("/");
  auto& c = w.client();
  auto sid = c.connect();
  w.run(sid, [journal](cafio::socket& s) {
    s.emit_with_ack("question", cafio::make_args(1, "two"), [journal](cafio::ack_response r) {
      journal->add({{"what", "answer"}, {"ok", r.ok()}, {"values", r.values}});
    });
  });
  auto question = c.log->wait_for_prefix(R"(42)");
  REQUIRE(question);
  // "42" + the ack id + the arguments.
  auto open = question->data.find('[');
  REQUIRE(open != std::string::npos);
  auto id = question->data.substr(2, open - 2);
  CHECK_FALSE(id.empty());
  CHECK(question->data.substr(open) == R"(["question",1,"two"])");
  c.send("3" + id + R"(["yes",{"n":2}])");
  auto answer = journal->wait_for("answer");
  REQUIRE(answer);
  CHECK((*answer)["ok"] == true);
  CHECK((*answer)["values"] == json::array({"yes", {{"n", 2}}}));
  // A second ACK with the same id is ignored.
  c.send("3" + id + R"(["again"])");
  w.barrier(c, sid);
  CHECK(journal->all("answer").size() == 1);
}

TEST_CASE("emit_with_ack with timeout(): no answer in time calls back 'operation has timed out'",
          "[events][ack][timeout]") {
  world w;
  auto journal = w.journal();
  w.of("/");
  auto& c = w.client();
  auto sid = c.connect();
  auto start = std::chrono::steady_clock::now();
  w.run(sid, [journal](cafio::socket& s) {
    s.timeout(100ms).emit_with_ack("question", {}, [journal](cafio::ack_response r) {
      journal->add({{"what", "answer"}, {"error", r.error.value_or("")}, {"values", r.values}});
    });
    // The flag is for that emit only.
    s.emit_with_ack("patient", {}, [journal](cafio::ack_response r) {
      journal->add({{"what", "patient"}, {"error", r.error.value_or("")}, {"values", r.values}});
    });
  });
  auto answer = journal->wait_for("answer");
  REQUIRE(answer);
  CHECK(std::chrono::steady_clock::now() - start >= 100ms);
  CHECK((*answer)["error"] == "operation has timed out");
  CHECK((*answer)["values"].empty());
  // A late answer is dropped; the other emit still waits for its own.
  auto question = c.log->wait_for_prefix("42");
  REQUIRE(question);
  c.send("3" + question->data.substr(2, question->data.find('[') - 2) + R"(["late"])");
  auto patient = c.log->wait_for([](const cafio::test::session_record& r) {
    return r.data.find(R"(["patient"])") != std::string::npos;
  });
  REQUIRE(patient);
  c.send("3" + patient->data.substr(2, patient->data.find('[') - 2) + R"(["ok"])");
  auto ok = journal->wait_for("patient");
  REQUIRE(ok);
  CHECK((*ok)["error"] == "");
  CHECK((*ok)["values"] == json::array({"ok"}));
  w.barrier(c, sid);
  CHECK(journal->all("answer").size() == 1);
}

TEST_CASE("A binary event and its attachment reach the handler as json binary",
          "[events][binary]") {
  world w;
  auto journal = w.journal();
  w.of("/").on_connection([journal](cafio::socket& s) {
    s.on("upload", [journal](cafio::args& a, cafio::ack ack) {
      journal->add({{"what", "upload"},
                    {"count", a.size()},
                    {"binary", a.at(0).at("file").is_binary()},
                    {"bytes", bytes_json(a.at(0).at("file"))},
                    {"name", a.at(0).at("name")}});
      ack(a.at(0).at("file"));  // echoed back as binary
    });
  });
  auto& c = w.client();
  c.connect();
  c.send(R"(51-3["upload",{"name":"a.bin","file":{"_placeholder":true,"num":0}}])");
  c.send_binary(std::string("\x00\x01\xff", 3));
  auto seen = journal->wait_for("upload");
  REQUIRE(seen);
  CHECK((*seen)["count"] == 1);
  CHECK((*seen)["binary"] == true);
  CHECK((*seen)["bytes"] == json::array({0, 1, 255}));
  CHECK((*seen)["name"] == "a.bin");
  // The binary ack: BINARY_ACK text, then its attachment right after it.
  auto ack = c.log->wait_for_text(R"(461-3[{"_placeholder":true,"num":0}])");
  REQUIRE(ack);
  auto records = c.log->records();
  auto i = std::find_if(records.begin(), records.end(), [&](auto& r) { return r.seq == ack->seq; });
  REQUIRE(i + 1 != records.end());
  CHECK((i + 1)->what == cafio::test::session_record::kind::binary);
  CHECK((i + 1)->data == std::string("\x00\x01\xff", 3));
}

TEST_CASE("Emitting binary sends 451-[...] and then the attachment", "[events][binary]") {
  world w;
  w.of("/");
  auto& c = w.client();
  auto sid = c.connect();
  w.run(sid, [](cafio::socket& s) {
    s.emit("file", cafio::make_args(cafio::binary(std::string("\x01\x02", 2)), "x",
                                    json{{"nested", cafio::binary(std::string("\x03", 1))}}));
  });
  auto text = c.log->wait_for_prefix("45");
  REQUIRE(text);
  CHECK(
      text->data ==
      R"(452-["file",{"_placeholder":true,"num":0},"x",{"nested":{"_placeholder":true,"num":1}}])");
  w.barrier(c, sid);
  auto records = c.log->records();
  auto i =
      std::find_if(records.begin(), records.end(), [&](auto& r) { return r.seq == text->seq; });
  REQUIRE(std::distance(i, records.end()) >= 3);
  CHECK((i + 1)->what == cafio::test::session_record::kind::binary);
  CHECK((i + 1)->data == std::string("\x01\x02", 2));
  CHECK((i + 2)->what == cafio::test::session_record::kind::binary);
  CHECK((i + 2)->data == std::string("\x03", 1));
}

TEST_CASE("A reserved event name cannot be emitted", "[events]") {
  world w;
  auto journal = w.journal();
  w.of("/");
  auto& c = w.client();
  auto sid = c.connect();
  w.run(sid, [journal](cafio::socket& s) {
    auto status = s.emit("disconnect");
    journal->add(
        {{"what", "status"}, {"ok", status.ok()}, {"error", status.ok() ? "" : status.error()}});
  });
  auto status = journal->wait_for("status");
  REQUIRE(status);
  CHECK((*status)["ok"] == false);
  CHECK((*status)["error"] == R"("disconnect" is a reserved event name)");
  w.barrier(c, sid);
  CHECK(c.log->texts().size() == 2);  // the CONNECT answer and the barrier
}
