#include "actors/client_actor.hpp"

#include <set>
#include <unordered_map>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/broadcast_operator.hpp"
#include "protocol/query_string.hpp"

namespace cafio {

namespace {

struct client_state {
  static inline const char* name = "cafio.client";

  transport::session_handle session;
  registry_actor registry;
  std::shared_ptr<const client_info> info;  // shared with the sockets: never changed
  transport::transport_kind transport = transport::transport_kind::polling;
  client_options options;
  std::optional<socketio::decoder> decoder;
  std::unordered_map<std::string, socket_actor> sockets;  // by namespace
  std::set<std::string> connecting;
  bool closed = false;
  bool connected_once = false;  // a namespace connected: connectTimeout is over
};

using self_pointer = client_actor::stateful_pointer<client_state>;

void send_packet(self_pointer self, const socketio::packet& p) {
  self->send(self->state.session, transport::send_atom::value, make_outgoing(p));
}

/// Every socket leaves for `reason`; the connection closes.
void close_all(self_pointer self, disconnect_reason reason, bool send_disconnect_packets) {
  auto& st = self->state;
  if (st.closed) return;
  st.closed = true;
  for (auto& [nsp, socket] : st.sockets) {
    // Sent from here, before the close below, so that the close cannot
    // overtake these packets.
    if (send_disconnect_packets)
      send_packet(self, socketio::packet{socketio::packet_type::disconnect, nsp, std::nullopt,
                                         std::nullopt});
    self->send(socket, disconnect_atom::value, reason, false);
  }
  st.sockets.clear();
  self->send(st.session, caf::close_atom::value);
  self->quit();
}

void connect(self_pointer self, std::string nsp, json auth) {
  auto& st = self->state;
  if (st.sockets.count(nsp) != 0) {
    // socket.io: a CONNECT for a namespace already connected is an invalid
    // state; the server closes the client.
    close_all(self, disconnect_reason::forced_server_close, false);
    return;
  }
  if (!st.connecting.insert(nsp).second)
    return;  // still in its middlewares: this CONNECT is ignored
  connect_request req{nsp, std::move(auth), st.session, client_actor{self}, st.info};
  self->request(st.registry, caf::infinite, connect_atom::value, std::move(req))
      .then(
          [self, nsp](connect_result& result) {
            auto& st = self->state;
            st.connecting.erase(nsp);
            auto socket = caf::actor_cast<socket_actor>(result.socket);
            if (st.closed) {
              if (socket)
                self->send(socket, disconnect_atom::value, disconnect_reason::transport_close,
                           false);
              return;
            }
            if (socket) {
              st.connected_once = true;
              st.sockets[nsp] = std::move(socket);
              if (st.transport != st.info->transport)
                self->send(st.sockets[nsp], transport::upgraded_atom::value, st.transport);
            } else if (!result.error.is_null()) {
              send_packet(self, socketio::packet{socketio::packet_type::connect_error, nsp,
                                                 std::nullopt, std::move(result.error)});
            }
          },
          [self, nsp](caf::error&) { self->state.connecting.erase(nsp); });
}

void on_packet(self_pointer self, socketio::packet&& p) {
  auto& st = self->state;
  if (p.type == socketio::packet_type::connect) {
    json auth = json::object();
    if (st.info->protocol == socketio::protocol_version::v4) {
      // socket.io 2 clients authenticate through the namespace's query.
      if (auto q = p.nsp.find('?'); q != std::string::npos) {
        for (auto& [key, value] : parse_query(std::string_view(p.nsp).substr(q + 1)))
          auth[key] = value;
        p.nsp.resize(q);
      }
    } else if (p.data) {
      auth = std::move(*p.data);
    }
    connect(self, std::move(p.nsp), std::move(auth));
    return;
  }
  auto i = st.sockets.find(p.nsp);
  if (i == st.sockets.end()) {
    if (st.connecting.count(p.nsp) != 0) return;  // still in its middlewares
    // socket.io: a packet for a namespace the client never joined is an
    // invalid state; the server closes the connection (client.close():
    // "forced server close").
    close_all(self, disconnect_reason::forced_server_close, false);
    return;
  }
  auto socket = i->second;
  if (p.type == socketio::packet_type::disconnect) st.sockets.erase(i);
  self->send(socket, packet_atom::value, std::move(p));
}

client_actor::behavior_type client_behavior(self_pointer self, transport::session_handle session,
                                            transport::session_info info, registry_actor registry,
                                            client_options options) {
  auto& st = self->state;
  st.session = std::move(session);
  st.registry = std::move(registry);
  st.options = options;
  st.decoder.emplace(socketio::decoder_options{options.max_attachments});
  auto ci = std::make_shared<client_info>();
  ci->engine_sid = info.sid;
  ci->protocol = info.version == engineio::protocol_version::v3 ? socketio::protocol_version::v4
                                                                : socketio::protocol_version::v5;
  ci->transport = info.transport;
  ci->request = info.request;
  // A session without a sink (as in tests) gets one that always hands the
  // packets to the session actor.
  ci->sink = info.sink ? info.sink : std::make_shared<transport::session_sink>(st.session, nullptr);
  ci->log = options.log;
  ci->stats = options.stats;
  st.info = std::move(ci);
  st.transport = info.transport;
  // The connection must connect a namespace within connectTimeout.
  self->delayed_send(self, options.connect_timeout, timer_atom::value, std::uint64_t{0});
  if (st.info->protocol == socketio::protocol_version::v4)
    connect(self, "/", json::object());  // socket.io 2 clients are connected to "/" at once
  return {
      [self](transport::message_atom, engineio::packet& p) {
        auto& st = self->state;
        if (st.closed) return;
        auto decoded =
            p.binary ? st.decoder->decode_binary(p.data) : st.decoder->decode_text(p.data);
        if (!decoded) {
          if (auto& log = st.info->log; log && log->enabled(log_level::info))
            log->log(log_level::info, "client.parse_error",
                     {{"sid", st.info->engine_sid}, {"error", decoded.error().message}});
          // socket.io 4.8: a Socket.IO-level decode error closes the
          // connection; the sockets see "forced close".
          close_all(self, disconnect_reason::forced_close, false);
          return;
        }
        if (*decoded) on_packet(self, std::move(**decoded));
      },
      [self](transport::closed_atom, transport::close_reason reason) {
        auto& st = self->state;
        if (!st.closed) {
          st.closed = true;
          for (auto& [nsp, socket] : st.sockets)
            self->send(socket, disconnect_atom::value, from_close_reason(reason), false);
          st.sockets.clear();
        }
        self->quit();
      },
      [self](transport::upgraded_atom, transport::transport_kind kind) {
        auto& st = self->state;
        st.transport = kind;
        for (auto& [nsp, socket] : st.sockets)
          self->send(socket, transport::upgraded_atom::value, kind);
      },
      [self](gone_atom, const std::string& nsp) { self->state.sockets.erase(nsp); },
      [self](disconnect_atom, disconnect_reason reason) { close_all(self, reason, true); },
      [self](timer_atom, std::uint64_t) {
        auto& st = self->state;
        // socket.io cancels the timer once a namespace is connected; a
        // connect still in its middlewares does not count.
        if (!st.closed && !st.connected_once)
          close_all(self, disconnect_reason::forced_server_close, false);
      },
  };
}

}  // namespace

client_actor spawn_client(caf::actor_system& sys, transport::session_handle session,
                          const transport::session_info& info, registry_actor registry,
                          client_options options) {
  return sys.spawn(client_behavior, std::move(session), info, std::move(registry), options);
}

}  // namespace cafio
