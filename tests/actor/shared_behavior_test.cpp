// shared_behavior_actor: one behavior for every instance, each handler
// finding its own actor with running(). Many instances handle messages at
// once on the scheduler's threads; each must see its own state only.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <catch2/catch.hpp>

#include "transport/shared_behavior_actor.hpp"

namespace {

using add_atom = caf::atom_constant<caf::atom("add")>;
using total_atom = caf::atom_constant<caf::atom("total")>;

/// Adds what it is sent to its own total; answers (its name, its total).
using counter = caf::typed_actor<caf::reacts_to<add_atom, int>,
                                 caf::replies_to<total_atom>::with<std::string, int>>;

struct counter_state {
  std::string name;
  int total = 0;
};

std::atomic<int> behaviors_made{0};

class counter_impl final
    : public cafio::transport::shared_behavior_actor<counter_impl,
                                                     counter::stateful_base<counter_state>> {
 public:
  counter_impl(caf::actor_config& cfg, std::string name)
      : shared_behavior_actor(cfg), name_(std::move(name)) {}

  behavior_type make_behavior() override {
    state.name = name_;
    static const behavior_type handlers = make_handlers();
    return handlers;
  }

 private:
  static behavior_type make_handlers() {
    ++behaviors_made;
    return {
        [](add_atom, int x) { running()->state.total += x; },
        [](total_atom) {
          auto& st = running()->state;
          return caf::make_result(st.name, st.total);
        },
    };
  }

  std::string name_;
};

}  // namespace

TEST_CASE("Actors sharing one behavior each handle their own messages", "[shared_behavior]") {
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", 2);
  caf::actor_system sys{cfg};
  constexpr int actors = 50;
  constexpr int adds = 200;
  std::vector<counter> counters;
  for (int i = 0; i < actors; ++i)
    counters.push_back(sys.spawn<counter_impl>("counter-" + std::to_string(i)));
  // Two threads send at once, so that both scheduler threads run counters
  // while the other does too; counter i gets i + 1 per add.
  auto send_all = [&] {
    for (int n = 0; n < adds; ++n)
      for (int i = 0; i < actors; ++i) caf::anon_send(counters[i], add_atom::value, i + 1);
  };
  std::thread other{send_all};
  send_all();
  other.join();
  caf::scoped_actor self{sys};
  for (int i = 0; i < actors; ++i) {
    std::string name;
    int total = -1;
    self->request(counters[i], std::chrono::seconds(5), total_atom::value)
        .receive(
            [&](std::string& n, int t) {
              name = std::move(n);
              total = t;
            },
            [](caf::error&) {});
    CHECK(name == "counter-" + std::to_string(i));
    CHECK(total == 2 * adds * (i + 1));
  }
  CHECK(behaviors_made == 1);
  for (auto& c : counters) self->send_exit(c, caf::exit_reason::user_shutdown);
}
