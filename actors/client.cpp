#include "actors/client.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/message_handler.hpp>
#include <caf/send.hpp>

#include "actors/broadcast_operator.hpp"
#include "protocol/query_string.hpp"
#include "transport/session_sink.hpp"

namespace cafio {

namespace client_signal {

caf::message gone(const std::string& nsp) {
  return caf::make_message(gone_atom::value, nsp);
}

caf::message disconnect_all(disconnect_reason reason) {
  return caf::make_message(disconnect_atom::value, reason);
}

}  // namespace client_signal

namespace {

class client final : public transport::session_upper {
 public:
  client(transport::session_host& host, const transport::session_info& info,
         registry_actor registry, const client_options& options)
      : host_(host),
        registry_(std::move(registry)),
        transport_(info.transport),
        decoder_(socketio::decoder_options{options.max_attachments}) {
    auto self = host_.self();
    auto ci = std::make_shared<client_info>();
    ci->engine_sid = info.sid;
    ci->protocol = info.version == engineio::protocol_version::v3 ? socketio::protocol_version::v4
                                                                  : socketio::protocol_version::v5;
    ci->transport = info.transport;
    ci->request = info.request;
    // A session without a sink (as in tests) gets one that always hands the
    // packets to the session's actor.
    ci->sink = info.sink ? info.sink
                         : std::make_shared<transport::session_sink>(
                               caf::actor_cast<transport::session_handle>(self), nullptr);
    ci->log = options.log;
    ci->stats = options.stats;
    info_ = std::move(ci);
    // The connection must connect a namespace within connectTimeout.
    self->delayed_send(self, options.connect_timeout, transport::upper_atom::value,
                       caf::make_message(timer_atom::value));
    if (info_->protocol == socketio::protocol_version::v4)
      connect("/", json::object());  // socket.io 2 clients are connected to "/" at once
  }

  void on_message(engineio::packet& p) override {
    if (closed_) return;
    auto decoded = p.binary ? decoder_.decode_binary(p.data) : decoder_.decode_text(p.data);
    if (!decoded) {
      if (auto& log = info_->log; log && log->enabled(log_level::info))
        log->log(log_level::info, "client.parse_error",
                 {{"sid", info_->engine_sid}, {"error", decoded.error().message}});
      // socket.io 4.8: a Socket.IO-level decode error closes the connection;
      // the sockets see "forced close".
      close_all(disconnect_reason::forced_close, false);
      return;
    }
    if (*decoded) on_packet(std::move(**decoded));
  }

  void on_upgraded(transport::transport_kind kind) override {
    transport_ = kind;
    auto self = host_.self();
    for (auto& [nsp, socket] : sockets_) self->send(socket, transport::upgraded_atom::value, kind);
  }

  void on_closed(transport::close_reason reason) override {
    if (closed_) return;
    closed_ = true;
    // anon_send: this may run while the session's actor is being destroyed.
    for (auto& [nsp, socket] : sockets_)
      caf::anon_send(socket, disconnect_atom::value, from_close_reason(reason), false);
    sockets_.clear();
  }

  void on_signal(caf::message& signal) override {
    signal.apply({
        [this](gone_atom, const std::string& nsp) { forget(nsp); },
        [this](disconnect_atom, disconnect_reason reason) { close_all(reason, true); },
        [this](timer_atom) {
          // socket.io cancels the timer once a namespace is connected; a
          // connect still in its middlewares does not count.
          if (!closed_ && !connected_once_)
            close_all(disconnect_reason::forced_server_close, false);
        },
    });
  }

 private:
  using socket_list = std::vector<std::pair<std::string, socket_actor>>;

  socket_list::iterator find(const std::string& nsp) {
    return std::find_if(sockets_.begin(), sockets_.end(),
                        [&nsp](const auto& entry) { return entry.first == nsp; });
  }

  void forget(const std::string& nsp) {
    if (auto i = find(nsp); i != sockets_.end()) sockets_.erase(i);
  }

  bool is_connecting(const std::string& nsp) const {
    return std::find(connecting_.begin(), connecting_.end(), nsp) != connecting_.end();
  }

  void connected_or_refused(const std::string& nsp) {
    connecting_.erase(std::find(connecting_.begin(), connecting_.end(), nsp));
  }

  void send_packet(const socketio::packet& p) { host_.send(make_outgoing(p)); }

  /// Every socket leaves for `reason`; the connection closes.
  void close_all(disconnect_reason reason, bool send_disconnect_packets) {
    if (closed_) return;
    closed_ = true;
    auto self = host_.self();
    for (auto& [nsp, socket] : sockets_) {
      // Sent before the close below, so that the close cannot overtake these
      // packets.
      if (send_disconnect_packets)
        send_packet(
            socketio::packet{socketio::packet_type::disconnect, nsp, std::nullopt, std::nullopt});
      self->send(socket, disconnect_atom::value, reason, false);
    }
    sockets_.clear();
    host_.close();
  }

  void connect(std::string nsp, json auth) {
    if (find(nsp) != sockets_.end()) {
      // socket.io: a CONNECT for a namespace already connected is an invalid
      // state; the server closes the client.
      close_all(disconnect_reason::forced_server_close, false);
      return;
    }
    if (is_connecting(nsp)) return;  // still in its middlewares: this CONNECT is ignored
    connecting_.push_back(nsp);
    auto self = host_.self();
    connect_request req{nsp, std::move(auth), caf::actor_cast<transport::session_handle>(self),
                        info_};
    // The handlers capture `this`: they run inside the session's actor, which
    // owns this client and drops them when it ends.
    self->request(registry_, caf::infinite, connect_atom::value, std::move(req))
        .then(
            [this, nsp](connect_result& result) {
              connected_or_refused(nsp);
              auto socket = caf::actor_cast<socket_actor>(result.socket);
              auto self = host_.self();
              if (closed_) {
                if (socket)
                  self->send(socket, disconnect_atom::value, disconnect_reason::transport_close,
                             false);
                return;
              }
              if (socket) {
                connected_once_ = true;
                sockets_.emplace_back(nsp, socket);
                if (transport_ != info_->transport)
                  self->send(socket, transport::upgraded_atom::value, transport_);
              } else if (!result.error.is_null()) {
                send_packet(socketio::packet{socketio::packet_type::connect_error, nsp,
                                             std::nullopt, std::move(result.error)});
              }
            },
            [this, nsp](caf::error&) { connected_or_refused(nsp); });
  }

  void on_packet(socketio::packet&& p) {
    if (p.type == socketio::packet_type::connect) {
      json auth = json::object();
      if (info_->protocol == socketio::protocol_version::v4) {
        // socket.io 2 clients authenticate through the namespace's query.
        if (auto q = p.nsp.find('?'); q != std::string::npos) {
          for (auto& [key, value] : parse_query(std::string_view(p.nsp).substr(q + 1)))
            auth[key] = value;
          p.nsp.resize(q);
        }
      } else if (p.data) {
        auth = std::move(*p.data);
      }
      connect(std::move(p.nsp), std::move(auth));
      return;
    }
    auto i = find(p.nsp);
    if (i == sockets_.end()) {
      if (is_connecting(p.nsp)) return;  // still in its middlewares
      // socket.io: a packet for a namespace the client never joined is an
      // invalid state; the server closes the connection (client.close():
      // "forced server close").
      close_all(disconnect_reason::forced_server_close, false);
      return;
    }
    auto socket = i->second;
    if (p.type == socketio::packet_type::disconnect) sockets_.erase(i);
    host_.self()->send(socket, packet_atom::value, std::move(p));
  }

  transport::session_host& host_;
  registry_actor registry_;
  std::shared_ptr<const client_info> info_;  // shared with the sockets: never changed
  transport::transport_kind transport_;
  socketio::decoder decoder_;
  // By namespace. Vectors: a client has one or two namespaces, and an idle
  // connection should not pay for hash tables.
  socket_list sockets_;
  std::vector<std::string> connecting_;
  bool closed_ = false;
  bool connected_once_ = false;  // a namespace connected: connectTimeout is over
};

}  // namespace

transport::upper_factory client_factory(registry_actor registry, client_options options) {
  return [registry = std::move(registry), options = std::move(options)](
             transport::session_host& host,
             const transport::session_info& info) -> std::unique_ptr<transport::session_upper> {
    return std::make_unique<client>(host, info, registry, options);
  };
}

}  // namespace cafio
