// The socket actor: connect (middlewares, own room, CONNECT packet,
// connection handlers), events and acks both ways, broadcasts in, and the
// disconnecting → disconnect lifecycle.
#include <algorithm>
#include <exception>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "actors/client.hpp"
#include "actors/socket_state.hpp"
#include "transport/shared_behavior_actor.hpp"

namespace cafio::detail {

namespace {

thread_local socket_state* current = nullptr;

using phase = socket_state::phase;

/// Runs user code: its exceptions must not take the actor down.
template <class F>
void guarded(socket_state& st, const char* what, F&& f) {
  current_socket_scope scope{&st};
  auto report = [&](const char* error) {
    if (auto& log = st.info->log)
      log->log(log_level::error, "socket.handler_error",
               {{"id", st.id}, {"nsp", st.nsp}, {"in", what}, {"error", error}});
  };
  try {
    f();
  } catch (const std::exception& e) {
    report(e.what());
  } catch (...) {
    report("unknown exception");
  }
}

socketio::protocol_version protocol_of(const socket_state& st) {
  return st.info ? st.info->protocol : socketio::protocol_version::v5;
}

/// Runs the listeners of `event` (not the catch-all ones).
void dispatch_event(socket_state& st, const std::string& event, args& arguments, const ack& reply) {
  // Handlers may add or remove listeners: run a snapshot, drop the `once`s.
  std::vector<event_handler> snapshot;
  bool any_once = false;
  for (auto& l : st.listeners)
    if (l.event == event) {
      snapshot.push_back(l.handler);
      any_once = any_once || l.once;
    }
  if (any_once) {
    auto& list = st.listeners;
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&](auto& l) { return l.once && l.event == event; }),
               list.end());
  }
  for (auto& handler : snapshot)
    guarded(st, "an event handler", [&] { handler(arguments, reply); });
}

void run_packet_middlewares(socket_state& st, std::shared_ptr<event_packet> pkt, ack reply,
                            std::size_t index) {
  if (st.state != phase::connected) return;
  if (index == st.some().middlewares.size()) {
    dispatch_event(st, pkt->event, pkt->arguments, reply);
    return;
  }
  auto self = st.self;
  auto handle = socket_actor{self};
  next continuation{[handle, self, pkt, reply, index](std::optional<middleware_error> error) {
    caf::anon_send(handle, run_atom::value, socket_task{[self, pkt, reply, index, error](socket&) {
                     auto& st = self->state;
                     if (error) {
                       // The socket's "error" listeners get it (socket.io 4.8),
                       // and a socket.io 2 client an ERROR packet, as the seed
                       // (socket.io 2) says: each generation its behaviour.
                       if (protocol_of(st) == socketio::protocol_version::v4)
                         send_packet(st,
                                     socketio::packet{socketio::packet_type::connect_error, st.nsp,
                                                      std::nullopt, json(error->message)});
                       emit_reserved(st, "error", make_args(error->message, error->data));
                       return;
                     }
                     run_packet_middlewares(st, pkt, reply, index + 1);
                   }});
  }};
  auto& mw = st.some().middlewares[index];
  guarded(st, "a packet middleware", [&] { mw(*pkt, continuation); });
}

/// Answers the client's ack `id`; held back while this socket's broadcasts
/// are on their way (the ack fence).
void send_ack(socket_state& st, std::uint64_t id, args answer) {
  if (st.state != phase::connected) return;
  auto data = json::array();
  for (auto& v : answer) data.push_back(std::move(v));
  auto out =
      make_outgoing(socketio::packet{socketio::packet_type::ack, st.nsp, id, std::move(data)});
  if (st.broadcasts_in_flight > 0)
    st.held_acks.push_back(std::move(out));
  else
    send_outgoing(st, std::move(out));
}

void on_event(socket_state& st, socketio::packet&& p) {
  auto& array = *p.data;
  auto pkt = std::make_shared<event_packet>();
  auto& name = array.front();
  pkt->event = name.is_string() ? name.get<std::string>() : name.dump();
  pkt->arguments.reserve(array.size() - 1);
  for (std::size_t i = 1; i < array.size(); ++i) pkt->arguments.push_back(std::move(array[i]));
  ack reply;
  if (p.id) {
    reply =
        ack{[handle = socket_actor{st.self}, id = *p.id, state = &st, sid = st.id](args answer) {
          // Called inside this socket's own actor (the usual case: the handler
          // answers at once): answer directly. The id check guards against a
          // later socket reusing the address. From anywhere else: by message.
          if (current_socket() == state && state->id == sid) {
            send_ack(*state, id, std::move(answer));
            return;
          }
          caf::anon_send(handle, ack_out_atom::value, id, std::move(answer));
        }};
  }
  // socket.io's Socket.onevent: the catch-all listeners see every incoming
  // event, before the packet middlewares (which may refuse it).
  if (!st.some().any_listeners.empty())
    for (auto& any : std::vector<socket_state::any_listener>(st.some().any_listeners))
      guarded(st, "an onAny listener", [&] { any.handler(pkt->event, pkt->arguments); });
  if (st.some().middlewares.empty()) {
    dispatch_event(st, pkt->event, pkt->arguments, reply);
    return;
  }
  run_packet_middlewares(st, std::move(pkt), std::move(reply), 0);
}

void on_ack(socket_state& st, socketio::packet&& p) {
  if (!st.extra) return;  // no ack awaited
  auto& acks = st.extra->acks;
  auto i = acks.find(*p.id);
  if (i == acks.end()) return;
  auto pending = std::move(i->second);
  acks.erase(i);
  if (pending.timer != 0) st.extra->timers.erase(pending.timer);
  ack_response response;
  if (p.data)
    for (auto& v : *p.data) response.values.push_back(std::move(v));
  guarded(st, "an ack callback", [&] { pending.callback(std::move(response)); });
}

/// The disconnecting → disconnect lifecycle (socket.ts _onclose).
void close_socket(socket_state& st, disconnect_reason reason, bool send_disconnect_packet) {
  auto self = st.self;
  if (st.state == phase::disconnected) return;
  if (st.state == phase::connecting) {
    // Gone before it connected (middlewares still running): refuse quietly.
    st.state = phase::disconnected;
    if (st.connect_promise.pending())
      st.connect_promise.deliver(connect_result{caf::actor{}, {}, json()});
    self->quit();
    return;
  }
  auto why = to_string(reason);
  if (auto& stats = st.info->stats)
    metrics::add(stats->disconnects[static_cast<std::size_t>(reason)]);
  if (auto& log = st.info->log; log && log->enabled(log_level::info))
    log->log(log_level::info, "socket.disconnect",
             {{"id", st.id}, {"nsp", st.nsp}, {"sid", st.info->engine_sid}, {"reason", why}});
  // "disconnecting": the socket is still in its rooms.
  emit_reserved(st, "disconnecting", make_args(why));
  // Out of the rooms and the registries before the client hears of it: the
  // rooms send no more broadcasts to this session, and the client
  // accepts a new CONNECT for the namespace as soon as one can arrive.
  for (auto& room : st.rooms) caf::anon_send(st.ns, caf::leave_atom::value, room, st.id);
  st.rooms.clear();
  st.state = phase::disconnected;
  caf::anon_send(st.ns, gone_atom::value, st.id);
  if (reason != disconnect_reason::client_namespace_disconnect)
    caf::anon_send(st.session, transport::upper_atom::value, client_signal::gone(st.nsp));
  if (send_disconnect_packet)
    send_packet(st, socketio::packet{socketio::packet_type::disconnect, st.nsp, std::nullopt,
                                     std::nullopt});
  // Answers that can no longer come.
  auto pending = st.extra ? std::move(st.extra->acks)
                          : std::unordered_map<std::uint64_t, socket_state::pending_ack>{};
  if (st.extra) st.extra->acks.clear();
  for (auto& [id, ack] : pending)
    if (ack.timer != 0)
      guarded(st, "an ack callback", [&] {
        ack.callback(ack_response{std::string("socket has been disconnected"), {}});
      });
  emit_reserved(st, "disconnect", make_args(why));
  if (st.extra) st.extra->timers.clear();
  self->quit();
}

void connect(socket_state& st) {
  auto self = st.self;
  st.state = phase::connected;
  caf::anon_send(st.ns, caf::put_atom::value, st.id, socket_actor{self}, st.info->sink);
  // Every socket joins the room named by its id (socket.ts _onconnect).
  st.rooms.insert(st.id);
  caf::anon_send(st.ns, caf::join_atom::value, st.id, st.id);
  // The client learns about the socket before the CONNECT packet leaves, so
  // nothing the client sends after it can overtake it.
  st.connect_promise.deliver(connect_result{caf::actor_cast<caf::actor>(self), st.id, json()});
  if (auto& log = st.info->log; log && log->enabled(log_level::info))
    log->log(log_level::info, "socket.connect",
             {{"id", st.id}, {"nsp", st.nsp}, {"sid", st.info->engine_sid}});
  if (protocol_of(st) == socketio::protocol_version::v5)
    send_packet(st, socketio::packet{socketio::packet_type::connect, st.nsp, std::nullopt,
                                     json{{"sid", st.id}}});
  else
    send_packet(
        st, socketio::packet{socketio::packet_type::connect, st.nsp, std::nullopt, std::nullopt});
  for (auto& handler : st.config->on_connection) {
    if (st.state != phase::connected) break;
    guarded(st, "a connection handler", [&] { handler(*st.facade); });
  }
  // Most sockets get their listeners here and keep them: no growth slack.
  st.listeners.shrink_to_fit();
}

void refuse(socket_state& st, const middleware_error& error) {
  json payload;
  if (protocol_of(st) == socketio::protocol_version::v4) {
    payload = error.data.is_null() ? json(error.message) : error.data;
  } else {
    payload = json{{"message", error.message}};
    if (!error.data.is_null()) payload["data"] = error.data;
  }
  if (auto& log = st.info->log; log && log->enabled(log_level::info))
    log->log(log_level::info, "socket.connect_refused",
             {{"nsp", st.nsp}, {"sid", st.info->engine_sid}, {"message", error.message}});
  st.state = phase::disconnected;
  st.connect_promise.deliver(connect_result{caf::actor{}, {}, std::move(payload)});
  st.self->quit();
}

void run_connect_middlewares(socket_state& st, std::size_t index) {
  if (st.state != phase::connecting) return;
  auto& middlewares = st.config->middlewares;
  if (index == middlewares.size()) {
    connect(st);
    return;
  }
  auto self = st.self;
  next continuation{[handle = socket_actor{self}, self, index](std::optional<middleware_error> e) {
    caf::anon_send(handle, run_atom::value, socket_task{[self, index, e](socket&) {
                     if (e)
                       refuse(self->state, *e);
                     else
                       run_connect_middlewares(self->state, index + 1);
                   }});
  }};
  current_socket_scope scope{&st};
  try {
    middlewares[index](*st.facade, continuation);
  } catch (const std::exception& e) {
    refuse(st, middleware_error{e.what(), json()});  // as socket.io does with a thrown error
  }
}

/// Sets a new socket up from what its namespace gave it.
void open_socket(socket_pointer self, socket_init init) {
  auto& st = self->state;
  st.self = self;
  st.id = std::move(init.id);
  st.nsp = std::move(init.nsp);
  st.ns = std::move(init.ns);
  st.session = init.request.session;
  st.info = init.request.info;
  st.config = std::move(init.config);
  st.transport = st.info->transport;
  st.auth = std::move(init.request.auth);
  // socket.io builds the handshake when the socket is created.
  st.created_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  st.facade = std::make_unique<cafio::socket>(st);
  // If the client's session goes away while the middlewares run, stop.
  self->monitor(st.session);
  self->set_down_handler([self](caf::down_msg&) {
    close_socket(self->state, disconnect_reason::transport_close, false);
  });
}

/// The actor of a socket. Its handlers are shared by every socket
/// (transport/shared_behavior_actor.hpp): each finds its own actor with
/// running().
class socket_actor_impl final
    : public transport::shared_behavior_actor<socket_actor_impl,
                                              socket_actor::stateful_base<socket_state>> {
 public:
  socket_actor_impl(caf::actor_config& cfg, socket_init init)
      : shared_behavior_actor(cfg), init_(std::make_unique<socket_init>(std::move(init))) {}

  behavior_type make_behavior() override {
    auto init = std::move(init_);
    open_socket(this, std::move(*init));
    static const behavior_type handlers = make_handlers();
    return handlers;
  }

 private:
  static behavior_type make_handlers();

  std::unique_ptr<socket_init> init_;  // until the socket has started (the state is made only then)
};

socket_actor_impl::behavior_type socket_actor_impl::make_handlers() {
  return {
      [](start_atom) -> caf::typed_response_promise<connect_result> {
        socket_pointer self = running();
        auto& st = self->state;
        st.connect_promise = self->make_response_promise<connect_result>();
        auto promise = st.connect_promise;
        run_connect_middlewares(st, 0);
        return promise;
      },
      [](packet_atom, socketio::packet& p) {
        socket_pointer self = running();
        auto& st = self->state;
        if (st.state != phase::connected) return;
        switch (p.type) {
          case socketio::packet_type::event:
          case socketio::packet_type::binary_event:
            on_event(st, std::move(p));
            break;
          case socketio::packet_type::ack:
          case socketio::packet_type::binary_ack:
            if (p.id) on_ack(st, std::move(p));
            break;
          case socketio::packet_type::disconnect:
            close_socket(st, disconnect_reason::client_namespace_disconnect, false);
            break;
          default:
            break;
        }
      },
      [](deliver_atom, const broadcast& b) {
        socket_pointer self = running();
        auto& st = self->state;
        if (st.state == phase::connected && b.data && !st.some().any_outgoing_listeners.empty())
          notify_outgoing(st, b.data->event);
      },
      [](disconnect_atom, disconnect_reason reason, bool send_disconnect_packet) {
        socket_pointer self = running();
        close_socket(self->state, reason, send_disconnect_packet);
      },
      [](emit_atom, std::string& event, args& arguments) {
        socket_pointer self = running();
        auto& st = self->state;
        current_socket_scope scope{&st};
        st.facade->emit(event, std::move(arguments));
      },
      [](caf::join_atom, std::vector<std::string>& rooms) {
        socket_pointer self = running();
        auto& st = self->state;
        auto promise = self->make_response_promise<bool>();
        current_socket_scope scope{&st};
        st.facade->join(rooms, [promise]() mutable { promise.deliver(true); });
        return promise;
      },
      [](caf::leave_atom, std::vector<std::string>& rooms) {
        socket_pointer self = running();
        auto& st = self->state;
        current_socket_scope scope{&st};
        for (auto& room : rooms) st.facade->leave(room);
        return true;
      },
      [](caf::get_atom) {
        socket_pointer self = running();
        auto& st = self->state;
        return socket_info{st.id,
                           st.nsp,
                           std::vector<std::string>(st.rooms.begin(), st.rooms.end()),
                           st.data.is_null() ? json::object() : st.data,
                           *st.info->request,
                           st.auth.is_object() ? st.auth : json::object(),
                           caf::actor_cast<caf::actor>(self)};
      },
      [](ack_out_atom, std::uint64_t id, args& answer) {
        socket_pointer self = running();
        send_ack(self->state, id, std::move(answer));
      },
      [](run_atom, socket_task& task) {
        socket_pointer self = running();
        auto& st = self->state;
        if (task.run) guarded(st, "a task", [&] { task.run(*st.facade); });
      },
      [](timer_atom, std::uint64_t id) {
        socket_pointer self = running();
        auto& st = self->state;
        if (!st.extra) return;
        auto& timers = st.extra->timers;
        auto i = timers.find(id);
        if (i == timers.end()) return;
        auto fn = std::move(i->second);
        timers.erase(i);
        guarded(st, "a timer", fn);
      },
      [](transport::upgraded_atom, transport::transport_kind kind) {
        socket_pointer self = running();
        auto& st = self->state;
        st.transport = kind;
        auto listeners = st.some().upgrade_listeners;  // a handler may add or remove some
        for (auto& [id, handler] : listeners)
          guarded(st, "a conn upgrade listener", [&] { handler(kind); });
      },
  };
}

}  // namespace

socket_state* current_socket() noexcept {
  return current;
}

current_socket_scope::current_socket_scope(socket_state* st) noexcept : previous_(current) {
  current = st;
}

current_socket_scope::~current_socket_scope() {
  current = previous_;
}

void send_outgoing(socket_state& st, transport::outgoing out) {
  st.info->sink->send(out);
}

void send_packet(socket_state& st, const socketio::packet& packet) {
  send_outgoing(st, make_outgoing(packet));
}

void emit_reserved(socket_state& st, const std::string& event, args arguments) {
  dispatch_event(st, event, arguments, ack{});
}

void notify_outgoing(socket_state& st, const json& event_array) {
  if (!event_array.is_array() || event_array.empty()) return;
  auto& name = event_array.front();
  auto event = name.is_string() ? name.get<std::string>() : name.dump();
  args arguments(event_array.begin() + 1, event_array.end());
  for (auto& any : std::vector<socket_state::any_listener>(st.some().any_outgoing_listeners))
    guarded(st, "an onAnyOutgoing listener", [&] { any.handler(event, arguments); });
}

void track_broadcast(socket_state& st, broadcast b) {
  auto self = st.self;
  ++st.broadcasts_in_flight;
  auto done = [self] {
    auto& st = self->state;
    if (--st.broadcasts_in_flight == 0) {
      auto held = std::move(st.held_acks);
      st.held_acks = {};
      for (auto& out : held) send_outgoing(st, std::move(out));
    }
  };
  self->request(st.ns, caf::infinite, broadcast_atom::value, std::move(b))
      .then([done](bool) { done(); }, [done](caf::error&) { done(); });
}

void server_disconnect(socket_state& st, bool close) {
  if (close && st.state == phase::connected) {
    // The client sends DISCONNECT for every namespace and then closes the
    // connection, so that the close cannot overtake those packets.
    caf::anon_send(st.session, transport::upper_atom::value,
                   client_signal::disconnect_all(disconnect_reason::server_namespace_disconnect));
    return;
  }
  close_socket(st, disconnect_reason::server_namespace_disconnect, true);
}

socket_actor spawn_socket(caf::actor_system& sys, socket_init init) {
  return sys.spawn<socket_actor_impl>(std::move(init));
}

}  // namespace cafio::detail
