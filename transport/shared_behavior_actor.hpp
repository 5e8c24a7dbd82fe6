// An actor class whose behavior (the message handlers) is built once and
// shared by every instance, instead of once per actor.
//
// CAF builds a behavior object per actor: one match case per handler, about
// 40 bytes each, over 500 bytes for a dozen handlers. With one session actor
// and one socket actor per connection that was a seventh of an idle
// connection. Handlers that capture nothing can be shared; they find their
// actor with running(), which is set while CAF runs the actor (resume) on
// this thread. Every handler and every behavior of a scheduled actor runs
// inside its resume().
#pragma once

#include <cstddef>
#include <utility>

#include <caf/execution_unit.hpp>
#include <caf/resumable.hpp>

namespace cafio::transport {

/// `Derived` is the final actor class (CRTP); `Base` its CAF base class, e.g.
/// `some_typed_actor::stateful_base<State>`.
template <class Derived, class Base>
class shared_behavior_actor : public Base {
 public:
  using Base::Base;

  /// The actor of this class that runs on the calling thread: valid inside
  /// its handlers only.
  static Derived* running() noexcept { return running_; }

  caf::resumable::resume_result resume(caf::execution_unit* unit,
                                       std::size_t max_throughput) override {
    // Restored on the way out, also if a handler throws.
    struct restore {
      Derived* previous;
      ~restore() { running_ = previous; }
    } guard{std::exchange(running_, static_cast<Derived*>(this))};
    return Base::resume(unit, max_throughput);
  }

 private:
  static inline thread_local Derived* running_ = nullptr;
};

}  // namespace cafio::transport
