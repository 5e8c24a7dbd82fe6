#include "demo_roster.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/messages.hpp"

namespace cafio::node {

namespace {

struct roster_state {
  static inline const char* name = "demo-roster";
  /// Rooms to push once the next answer is in.
  std::set<std::string> dirty;
  /// One query at a time: answers of overlapping queries may arrive out of
  /// order, and an older list must not overwrite a newer one.
  bool querying = false;
};

using roster_pointer = roster_actor::stateful_pointer<roster_state>;

struct member {
  std::string id;
  std::string nickname;
};

/// Members by room name, from each socket's data {nickname, room}.
std::map<std::string, std::vector<member>> members_by_room(const std::vector<socket_info>& infos) {
  std::map<std::string, std::vector<member>> rooms;
  for (auto& info : infos) {
    auto nickname = info.data.value("nickname", std::string());
    auto room = info.data.value("room", std::string());
    if (!nickname.empty() && !room.empty()) rooms[room].push_back(member{info.id, nickname});
  }
  for (auto& [name, members] : rooms)
    std::sort(members.begin(), members.end(),
              [](const member& a, const member& b) { return a.nickname < b.nickname; });
  return rooms;
}

void push(const namespace_handle& nsp, const std::vector<std::string>& default_rooms,
          const std::set<std::string>& changed, const std::vector<socket_info>& infos) {
  auto rooms = members_by_room(infos);
  for (auto& name : changed) {
    if (name.empty()) continue;
    auto list = json::array();
    if (auto i = rooms.find(name); i != rooms.end())
      for (auto& m : i->second) list.push_back(json{{"id", m.id}, {"nickname", m.nickname}});
    nsp.to(room_key(name)).emit("members", json{{"room", name}, {"members", std::move(list)}});
  }
  for (auto& name : default_rooms) rooms[name];  // listed even when empty
  auto list = json::array();
  for (auto& [name, members] : rooms)
    list.push_back(json{{"name", name}, {"members", members.size()}});
  nsp.emit("rooms", std::move(list));
}

void query(roster_pointer self, const namespace_handle& nsp,
           const std::vector<std::string>& default_rooms) {
  auto& st = self->state;
  st.querying = true;
  auto changed = std::move(st.dirty);
  st.dirty.clear();
  auto next = [self, nsp, default_rooms] {
    self->state.querying = false;
    if (!self->state.dirty.empty()) query(self, nsp, default_rooms);
  };
  self->request(nsp.actor(), std::chrono::seconds(5), fetch_atom::value, socket_query{})
      .then(
          [=](std::vector<socket_info>& infos) {
            push(nsp, default_rooms, changed, infos);
            next();
          },
          [=](caf::error&) { next(); });  // the namespace is closing
}

roster_actor::behavior_type roster(roster_pointer self, namespace_handle nsp,
                                   std::vector<std::string> default_rooms) {
  self->monitor(nsp.actor());
  self->set_down_handler([self](caf::down_msg&) { self->quit(); });
  return {
      [=](refresh_atom, std::string& room) {
        auto& st = self->state;
        st.dirty.insert(std::move(room));
        if (!st.querying) query(self, nsp, default_rooms);
      },
  };
}

}  // namespace

std::string room_key(const std::string& name) {
  return "room:" + name;
}

roster_actor spawn_roster(caf::actor_system& sys, namespace_handle nsp,
                          std::vector<std::string> default_rooms) {
  return sys.spawn(roster, std::move(nsp), std::move(default_rooms));
}

}  // namespace cafio::node
