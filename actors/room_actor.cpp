#include "actors/room_actor.hpp"

#include <unordered_map>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

namespace cafio {

namespace {

struct room_state {
  static inline const char* name = "cafio.room";
  std::string room;
  std::unordered_map<std::string, socket_actor> members;
};

room_actor::behavior_type room_behavior(room_actor::stateful_pointer<room_state> self,
                                        std::string name) {
  self->state.room = std::move(name);
  return {
      [self](caf::join_atom, std::string& id, socket_actor& member) {
        self->state.members.emplace(std::move(id), std::move(member));
        return true;
      },
      [self](caf::leave_atom, const std::string& id) {
        self->state.members.erase(id);
        return true;
      },
      [self](deliver_atom, const broadcast& b, std::uint32_t room_index) {
        // The broadcast is shared: each member gets a handle to the same
        // encoded bytes, never a copy.
        for (auto& entry : self->state.members)
          self->send(entry.second, deliver_atom::value, b, room_index);
        return true;
      },
      [self](members_atom) {
        std::vector<std::string> ids;
        ids.reserve(self->state.members.size());
        for (auto& entry : self->state.members) ids.push_back(entry.first);
        return ids;
      },
  };
}

}  // namespace

room_actor spawn_room(caf::actor_system& sys, std::string name) {
  return sys.spawn(room_behavior, std::move(name));
}

}  // namespace cafio
