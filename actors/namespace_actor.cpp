#include "actors/namespace_actor.hpp"

#include <set>
#include <unordered_map>

#include <caf/actor_cast.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/broadcast_operator.hpp"
#include "actors/namespace_config.hpp"
#include "actors/room_actor.hpp"
#include "actors/socket_state.hpp"
#include "transport/session_id.hpp"

namespace cafio {

namespace {

struct namespace_state {
  static inline const char* name = "cafio.namespace";

  /// A room with one member has no actor: the namespace writes to that
  /// member itself. The actor comes with the second member and stays until
  /// the room is empty.
  struct room_entry {
    room_actor actor;  // invalid while the room has a single member
    std::string solo;  // the single member's id while there is no actor
    std::size_t members = 0;
  };

  /// A socket's own room (named by its id, socket.io's default room) is a
  /// flag here rather than an entry in `rooms` and in its room set: every
  /// socket has one, and the entries cost an idle socket a few hundred
  /// bytes. Other sockets may still join a room named by a socket's id; they
  /// are its entry in `rooms`.
  struct socket_entry {
    socket_actor actor;
    transport::session_sink_ptr sink;
    std::set<std::string> rooms;  // but its own room
    bool in_own_room = false;
    bool notify = false;  // the socket has onAnyOutgoing listeners
  };

  std::string nsp;
  namespace_config_ptr config = std::make_shared<const namespace_config>();
  // Room name → its actor and how many joins it has been sent, net of leaves:
  // the namespace decides when a room is empty, so that a join can never
  // reach a room that has already stopped.
  std::unordered_map<std::string, room_entry> rooms;
  // Connected sockets and their rooms (socket.io-adapter's `sids`).
  std::unordered_map<std::string, socket_entry> sockets;

  // A parent namespace (io.of(regex or predicate)) creates a child namespace
  // per matching name, with a copy of its middlewares and handlers, and
  // forwards its broadcasts and queries to them (socket.io's
  // ParentNamespace).
  bool parent = false;
  caf::actor registry;  // where children are registered
  std::unordered_map<std::string, namespace_actor> children;

  metrics_ptr stats;
  std::shared_ptr<metrics::namespace_gauges> gauges;
  std::int64_t room_count = 0;  // rooms with members, as added to the gauge

  /// Whether the socket named `room` is in its own room.
  bool own_room_has_member(const std::string& room) const {
    auto s = sockets.find(room);
    return s != sockets.end() && s->second.in_own_room;
  }

  /// A room name gained its first member (`delta` 1) or lost its last (-1).
  void count_room(std::int64_t delta) {
    room_count += delta;
    if (gauges) metrics::add(gauges->rooms, delta);
  }

  ~namespace_state() {
    if (gauges) {
      metrics::add(gauges->sockets, -static_cast<std::int64_t>(sockets.size()));
      metrics::add(gauges->rooms, -room_count);
    }
  }
};

using self_pointer = namespace_actor::stateful_pointer<namespace_state>;

bool in_room(const std::string& id, const namespace_state::socket_entry& s,
             const std::string& room) {
  return (s.in_own_room && room == id) || s.rooms.count(room) != 0;
}

bool matches(const std::string& id, const namespace_state::socket_entry& s, const socket_query& q) {
  for (auto& room : q.except)
    if (in_room(id, s, room)) return false;
  if (q.rooms.empty()) return true;
  for (auto& room : q.rooms)
    if (in_room(id, s, room)) return true;
  return false;
}

template <class F>
void for_each_match(namespace_state& st, const socket_query& q, F&& f) {
  for (auto& [id, entry] : st.sockets)
    if (entry.actor && matches(id, entry, q)) f(id, entry);
}

void leave_room(self_pointer self, const std::string& room, const std::string& id) {
  auto& st = self->state;
  auto i = st.rooms.find(room);
  if (i == st.rooms.end()) return;
  auto& entry = i->second;
  if (entry.actor) caf::anon_send(entry.actor, caf::leave_atom::value, id);
  if (--entry.members == 0) {
    // The last member left: the room goes away (its actor after the leave,
    // which is already in its mailbox).
    if (entry.actor) self->send_exit(entry.actor, caf::exit_reason::user_shutdown);
    st.rooms.erase(i);
    if (!st.own_room_has_member(room)) st.count_room(-1);
  }
}

/// Takes socket `id` out of `room` in the directory (and out of the room's
/// actor). False when it was not in the room.
bool remove_from_room(self_pointer self, const std::string& room, const std::string& id) {
  auto& st = self->state;
  auto s = st.sockets.find(id);
  if (s == st.sockets.end()) return false;
  if (room == id && s->second.in_own_room) {
    s->second.in_own_room = false;
    if (st.rooms.count(room) == 0) st.count_room(-1);
    return true;
  }
  if (s->second.rooms.erase(room) == 0) return false;
  leave_room(self, room, id);
  return true;
}

void forget_socket(self_pointer self, const std::string& id) {
  auto& st = self->state;
  auto i = st.sockets.find(id);
  if (i == st.sockets.end()) return;
  remove_from_room(self, id, id);
  auto rooms = std::move(i->second.rooms);
  st.sockets.erase(i);
  if (st.gauges) metrics::add(st.gauges->sockets, -1);
  for (auto& room : rooms) leave_room(self, room, id);
}

/// Puts socket `id` in `room` in the directory. Returns the room's actor
/// when it needs the join (the caller sends it); nullopt when the socket was
/// in the room already or is its only member (no actor).
std::optional<room_actor> add_to_room(self_pointer self, const std::string& room,
                                      const std::string& id) {
  auto& st = self->state;
  auto s = st.sockets.find(id);
  if (s == st.sockets.end()) return std::nullopt;
  if (room == id) {  // its own room: a flag (socket_entry)
    if (!s->second.in_own_room && st.rooms.count(room) == 0) st.count_room(1);
    s->second.in_own_room = true;
    return std::nullopt;
  }
  if (!s->second.rooms.insert(room).second) return std::nullopt;
  auto& entry = st.rooms[room];
  if (entry.members++ == 0) {
    if (!st.own_room_has_member(room)) st.count_room(1);
    entry.solo = id;
    return std::nullopt;
  }
  if (!entry.actor) {
    // The second member: the room gets its actor, which first learns about
    // the member it already had.
    entry.actor = spawn_room(self->system(), room, st.stats);
    if (auto first = st.sockets.find(entry.solo); first != st.sockets.end()) {
      caf::anon_send(entry.actor, caf::join_atom::value, entry.solo, first->second.actor,
                     first->second.sink);
      if (first->second.notify)
        caf::anon_send(entry.actor, caf::update_atom::value, entry.solo, true);
    }
    entry.solo.clear();
  }
  // Sent before the join: the room handles the join first anyway, and the
  // update then applies to the new member.
  if (s->second.notify) self->send(entry.actor, caf::update_atom::value, id, true);
  return entry.actor;
}

/// Delivers a broadcast to a room's single member (a room with no actor).
void deliver_to_solo(self_pointer self, const broadcast& b, const std::string& member) {
  auto& st = self->state;
  auto& d = *b.data;
  auto s = st.sockets.find(member);
  if (s == st.sockets.end() || member == d.sender) return;
  for (auto& room : d.except)
    if (in_room(member, s->second, room)) return;
  s->second.sink->send(d.packet);
  if (st.stats) metrics::add(st.stats->deliveries);
  if (s->second.notify) self->send(s->second.actor, deliver_atom::value, b);
}

std::string socket_id_for(const namespace_state& st, const connect_request& req) {
  // Protocol v4 (socket.io 2) ids are derived from the Engine.IO sid; v5 ids
  // are fresh and random per namespace.
  if (req.info && req.info->protocol == socketio::protocol_version::v4)
    return st.nsp == "/" ? req.info->engine_sid : st.nsp + "#" + req.info->engine_sid;
  return transport::generate_id();
}

/// A parent's query: the concatenation of its children's answers.
template <class List, class... Ts>
caf::result<List> gather_lists(self_pointer self, Ts... xs) {
  auto promise = self->make_response_promise<List>();
  auto pending = std::make_shared<std::size_t>(self->state.children.size());
  auto all = std::make_shared<List>();
  if (*pending == 0) {
    promise.deliver(List{});
    return promise;
  }
  for (auto& [name, child] : self->state.children) {
    auto done = [promise, pending, all]() mutable {
      if (--*pending == 0) promise.deliver(std::move(*all));
    };
    self->request(child, std::chrono::seconds(5), xs...)
        .then(
            [done, all](List& part) mutable {
              all->insert(all->end(), std::make_move_iterator(part.begin()),
                          std::make_move_iterator(part.end()));
              done();
            },
            [done](caf::error&) mutable { done(); });
  }
  return promise;
}

/// A parent's broadcast reaches every child, encoded with the child's name
/// (socket.io's child adapters rewrite packet.nsp).
caf::result<bool> parent_broadcast(self_pointer self, const broadcast& b) {
  auto promise = self->make_response_promise<bool>();
  auto pending = std::make_shared<std::size_t>(self->state.children.size());
  if (*pending == 0) {
    promise.deliver(true);
    return promise;
  }
  auto& d = *b.data;
  for (auto& [name, child] : self->state.children) {
    auto copy = std::make_shared<broadcast_data>(d);
    copy->packet =
        make_outgoing(socketio::packet{socketio::packet_type::event, name, std::nullopt, d.event},
                      d.packet.is_volatile, d.packet.compress);
    auto done = [promise, pending]() mutable {
      if (--*pending == 0) promise.deliver(true);
    };
    self->request(child, caf::infinite, broadcast_atom::value, broadcast{std::move(copy)})
        .then([done](bool) mutable { done(); }, [done](caf::error&) mutable { done(); });
  }
  return promise;
}

namespace_actor::behavior_type namespace_behavior(self_pointer self, std::string name,
                                                  namespace_config_ptr config, caf::actor registry,
                                                  metrics_ptr stats) {
  self->state.nsp = std::move(name);
  if (stats && !registry) self->state.gauges = stats->add_namespace(self->state.nsp);
  self->state.stats = std::move(stats);
  if (config) self->state.config = std::move(config);
  if (registry) {
    self->state.parent = true;
    self->state.registry = std::move(registry);
  }
  return {
      [self](connect_atom, connect_request& req) -> caf::delegated<connect_result> {
        auto& st = self->state;
        if (st.parent && req.nsp != st.nsp) {
          auto& child = st.children[req.nsp];
          if (!child) {
            child = spawn_namespace(self->system(), req.nsp, st.config, st.stats);
            caf::anon_send(caf::actor_cast<registry_actor>(st.registry), caf::put_atom::value,
                           req.nsp, child);
          }
          return self->delegate(child, connect_atom::value, std::move(req));
        }
        detail::socket_init init{socket_id_for(st, req), st.nsp, namespace_actor{self},
                                 std::move(req), st.config};
        auto socket = detail::spawn_socket(self->system(), std::move(init));
        return self->delegate(socket, start_atom::value);
      },
      [self](caf::put_atom, std::string& id, socket_actor& socket,
             transport::session_sink_ptr& sink) {
        auto& st = self->state;
        auto& entry = st.sockets[id];
        if (!entry.actor && st.gauges) metrics::add(st.gauges->sockets, 1);
        entry.actor = std::move(socket);
        entry.sink = std::move(sink);
      },
      [self](caf::update_atom, const std::string& id, bool notify) {
        auto& st = self->state;
        auto s = st.sockets.find(id);
        if (s == st.sockets.end()) return;
        s->second.notify = notify;
        for (auto& room : s->second.rooms)
          if (auto r = st.rooms.find(room); r != st.rooms.end() && r->second.actor)
            self->send(r->second.actor, caf::update_atom::value, id, notify);
      },
      [self](gone_atom, const std::string& id) { forget_socket(self, id); },
      [self](caf::join_atom, std::string& room, std::string& id) -> caf::result<bool> {
        auto room_of = add_to_room(self, room, id);
        if (!room_of) return true;
        auto& s = self->state.sockets[id];
        // The callback of socket.join runs once the room has the member.
        return self->delegate(*room_of, caf::join_atom::value, std::move(id), s.actor, s.sink);
      },
      [self](caf::leave_atom, const std::string& room, const std::string& id) {
        remove_from_room(self, room, id);
        return true;
      },
      [self](broadcast_atom, broadcast& b) -> caf::result<bool> {
        auto& st = self->state;
        if (st.parent) return parent_broadcast(self, b);
        auto& d = *b.data;
        if (st.stats) metrics::add(st.stats->broadcasts);
        if (d.rooms.size() == 1) {
          // The common case: the room's actor fans out to its members'
          // sessions, and answers once they all have it. A socket's own
          // room has no entry: the namespace writes to the socket itself.
          auto& room = d.rooms.front();
          if (st.own_room_has_member(room)) deliver_to_solo(self, b, room);
          auto r = st.rooms.find(room);
          if (r == st.rooms.end()) return true;
          if (!r->second.actor) {
            deliver_to_solo(self, b, r->second.solo);
            return true;
          }
          if (d.except.empty())
            return self->delegate(r->second.actor, deliver_atom::value, std::move(b));
          auto resolved = std::make_shared<broadcast_data>(d);
          for_each_match(st, socket_query{d.except, {}, false},
                         [&](const std::string& id, auto&) { resolved->excluded.push_back(id); });
          return self->delegate(r->second.actor, deliver_atom::value,
                                broadcast{std::move(resolved)});
        }
        // Namespace-wide or several rooms: the namespace knows every socket's
        // rooms, so it sends to each target once, itself.
        transport::delivery_batch batch;
        std::uint64_t delivered = 0;
        for_each_match(st, socket_query{d.rooms, d.except, false},
                       [&](const std::string& id, auto& entry) {
                         if (id == d.sender) return;
                         batch.add(*entry.sink, d.packet);
                         ++delivered;
                         if (entry.notify) self->send(entry.actor, deliver_atom::value, b);
                       });
        batch.flush();
        if (st.stats) metrics::add(st.stats->deliveries, delivered);
        return true;
      },
      [self](members_atom, const socket_query& q) -> caf::result<std::vector<std::string>> {
        if (self->state.parent)
          return gather_lists<std::vector<std::string>>(self, members_atom::value, q);
        std::vector<std::string> ids;
        for_each_match(self->state, q, [&](const std::string& id, auto&) { ids.push_back(id); });
        return ids;
      },
      [self](fetch_atom, const socket_query& q) -> caf::result<std::vector<socket_info>> {
        if (self->state.parent)
          return gather_lists<std::vector<socket_info>>(self, fetch_atom::value, q);
        auto promise = self->make_response_promise<std::vector<socket_info>>();
        auto infos = std::make_shared<std::vector<socket_info>>();
        auto pending = std::make_shared<std::size_t>(0);
        std::vector<socket_actor> targets;
        for_each_match(self->state, q, [&](auto&, auto& entry) { targets.push_back(entry.actor); });
        if (targets.empty()) {
          promise.deliver(std::vector<socket_info>{});
          return promise;
        }
        *pending = targets.size();
        for (auto& target : targets) {
          self->request(target, std::chrono::seconds(5), caf::get_atom::value)
              .then(
                  [promise, infos, pending](socket_info& info) mutable {
                    infos->push_back(std::move(info));
                    if (--*pending == 0) promise.deliver(std::move(*infos));
                  },
                  [promise, infos, pending](caf::error&) mutable {
                    // A socket that went away meanwhile is simply not listed.
                    if (--*pending == 0) promise.deliver(std::move(*infos));
                  });
        }
        return promise;
      },
      [self](caf::join_atom, const socket_query& q, std::vector<std::string>& rooms) {
        // socketsJoin: the namespace updates its directory and the rooms at
        // once (so a query sent next sees the result), then tells each
        // socket, whose own rooms() follows.
        for (auto& [name, child] : self->state.children)
          caf::anon_send(child, caf::join_atom::value, q, rooms);
        for_each_match(self->state, q, [&](const std::string& id, auto& entry) {
          for (auto& room : rooms)
            if (auto r = add_to_room(self, room, id))
              caf::anon_send(*r, caf::join_atom::value, id, entry.actor, entry.sink);
          caf::anon_send(entry.actor, caf::join_atom::value, rooms);
        });
        return true;
      },
      [self](caf::leave_atom, const socket_query& q, std::vector<std::string>& rooms) {
        for (auto& [name, child] : self->state.children)
          caf::anon_send(child, caf::leave_atom::value, q, rooms);
        std::vector<std::pair<std::string, socket_actor>> targets;
        for_each_match(self->state, q, [&](const std::string& id, auto& entry) {
          targets.emplace_back(id, entry.actor);
        });
        for (auto& [id, actor] : targets) {
          for (auto& room : rooms) remove_from_room(self, room, id);
          caf::anon_send(actor, caf::leave_atom::value, rooms);
        }
        return true;
      },
      [self](disconnect_atom, const socket_query& q, bool close) {
        for (auto& [name, child] : self->state.children)
          caf::anon_send(child, disconnect_atom::value, q, close);
        for_each_match(self->state, q, [&](auto&, auto& entry) {
          self->send(entry.actor, run_atom::value,
                     socket_task{[close](socket& s) { s.disconnect(close); }});
        });
        return true;
      },
      [self](config_atom, namespace_config_update& update) {
        auto copy = std::make_shared<namespace_config>(*self->state.config);
        update.apply(*copy);
        self->state.config = std::move(copy);
        return true;
      },
      [self](caf::close_atom, disconnect_reason reason) {
        auto& st = self->state;
        for (auto& [id, entry] : st.sockets)
          if (entry.actor) self->send(entry.actor, disconnect_atom::value, reason, false);
        for (auto& [name, room] : st.rooms)
          if (room.actor) self->send_exit(room.actor, caf::exit_reason::user_shutdown);
        for (auto& [name, child] : st.children)
          caf::anon_send(child, caf::close_atom::value, reason);
        // The state (and the gauges it holds) goes with the actor.
        st.children.clear();
        self->quit();
        return true;
      },
  };
}

}  // namespace

namespace_actor spawn_namespace(caf::actor_system& sys, std::string name, metrics_ptr stats) {
  return sys.spawn(namespace_behavior, std::move(name), namespace_config_ptr{}, caf::actor{},
                   std::move(stats));
}

namespace_actor spawn_namespace(caf::actor_system& sys, std::string name,
                                namespace_config_ptr config, metrics_ptr stats) {
  return sys.spawn(namespace_behavior, std::move(name), std::move(config), caf::actor{},
                   std::move(stats));
}

namespace_actor spawn_parent_namespace(caf::actor_system& sys, std::string name,
                                       registry_actor registry, metrics_ptr stats) {
  return sys.spawn(namespace_behavior, std::move(name), namespace_config_ptr{},
                   caf::actor_cast<caf::actor>(registry), std::move(stats));
}

}  // namespace cafio
