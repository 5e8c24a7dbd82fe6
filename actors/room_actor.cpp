#include "actors/room_actor.hpp"

#include <algorithm>
#include <unordered_map>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

namespace cafio {

namespace {

struct member {
  socket_actor socket;
  transport::session_sink_ptr sink;
  bool notify = false;  // the socket has onAnyOutgoing listeners
};

struct room_state {
  static inline const char* name = "cafio.room";
  std::string room;
  metrics_ptr stats;
  std::unordered_map<std::string, member> members;
};

room_actor::behavior_type room_behavior(room_actor::stateful_pointer<room_state> self,
                                        std::string name, metrics_ptr stats) {
  self->state.room = std::move(name);
  self->state.stats = std::move(stats);
  return {
      [self](caf::join_atom, std::string& id, socket_actor& socket,
             transport::session_sink_ptr& sink) {
        self->state.members[std::move(id)] = member{std::move(socket), std::move(sink), false};
        return true;
      },
      [self](caf::leave_atom, const std::string& id) {
        self->state.members.erase(id);
        return true;
      },
      [self](caf::update_atom, const std::string& id, bool notify) {
        if (auto i = self->state.members.find(id); i != self->state.members.end())
          i->second.notify = notify;
      },
      [self](deliver_atom, const broadcast& b) {
        auto& d = *b.data;
        std::uint64_t delivered = 0;
        // The encoded packet is shared: each session gets a handle to the
        // same bytes, never a copy.
        transport::delivery_batch batch;
        for (auto& [id, m] : self->state.members) {
          if (id == d.sender ||
              std::find(d.excluded.begin(), d.excluded.end(), id) != d.excluded.end())
            continue;
          batch.add(*m.sink, d.packet);
          ++delivered;
          if (m.notify) self->send(m.socket, deliver_atom::value, b);
        }
        if (auto& stats = self->state.stats) metrics::add(stats->deliveries, delivered);
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

room_actor spawn_room(caf::actor_system& sys, std::string name, metrics_ptr stats) {
  return sys.spawn(room_behavior, std::move(name), std::move(stats));
}

}  // namespace cafio
