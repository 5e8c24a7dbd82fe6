#include "actors/registry_actor.hpp"

#include <unordered_map>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

namespace cafio {

namespace {

using namespace_map = std::unordered_map<std::string, namespace_actor>;

struct registry_state {
  static inline const char* name = "cafio.registry";
  namespace_map namespaces;
  // Parent namespaces, tried in registration order for unknown names.
  std::vector<std::pair<namespace_matcher, namespace_actor>> parents;
};

registry_actor::behavior_type registry_behavior(
    registry_actor::stateful_pointer<registry_state> self, namespace_map initial) {
  self->state.namespaces = std::move(initial);
  return {
      [self](connect_atom, connect_request& req) -> caf::result<connect_result> {
        auto& st = self->state;
        if (auto i = st.namespaces.find(req.nsp); i != st.namespaces.end())
          return self->delegate(i->second, connect_atom::value, std::move(req));
        for (auto& [matcher, parent] : st.parents) {
          bool accepted = false;
          try {
            accepted = matcher.accepts(req.nsp, req.auth);
          } catch (...) {
            accepted = false;  // a throwing matcher refuses
          }
          if (accepted) return self->delegate(parent, connect_atom::value, std::move(req));
        }
        return connect_result{caf::actor{}, {}, json{{"message", "Invalid namespace"}}};
      },
      [self](caf::put_atom, std::string& name, namespace_actor& ns) {
        self->state.namespaces[std::move(name)] = std::move(ns);
        return true;
      },
      [self](caf::put_atom, namespace_matcher& matcher, namespace_actor& parent) {
        self->state.parents.emplace_back(std::move(matcher), std::move(parent));
        return true;
      },
      [self](caf::close_atom, disconnect_reason reason) -> caf::result<bool> {
        auto& st = self->state;
        // Children are registered by name too; a parent closes them again,
        // which is harmless.
        std::vector<namespace_actor> all;
        for (auto& [name, ns] : st.namespaces) all.push_back(ns);
        for (auto& [matcher, parent] : st.parents) all.push_back(parent);
        st.namespaces.clear();
        st.parents.clear();
        auto promise = self->make_response_promise<bool>();
        auto pending = std::make_shared<std::size_t>(all.size());
        if (all.empty()) {
          promise.deliver(true);
          self->quit();
          return promise;
        }
        for (auto& ns : all) {
          auto done = [self, promise, pending]() mutable {
            if (--*pending == 0) {
              promise.deliver(true);
              self->quit();
            }
          };
          self->request(ns, std::chrono::seconds(5), caf::close_atom::value, reason)
              .then([done](bool) mutable { done(); }, [done](caf::error&) mutable { done(); });
        }
        return promise;
      },
  };
}

}  // namespace

registry_actor spawn_registry(caf::actor_system& sys) {
  // Spawned with its (empty) initial directory as an argument: for a
  // behavior without arguments, CAF 0.17 binds a reference to a null tuple,
  // which UndefinedBehaviorSanitizer reports.
  return sys.spawn(registry_behavior, namespace_map{});
}

}  // namespace cafio
