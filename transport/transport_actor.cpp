#include "transport/transport_actor.hpp"

#include <deque>

#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "protocol/engineio_handshake.hpp"
#include "protocol/engineio_jsonp.hpp"
#include "protocol/engineio_payload.hpp"
#include "protocol/engineio_payload_v3.hpp"
#include "transport/http_answers.hpp"
#include "transport/session_sink.hpp"
#include "transport/session_upper.hpp"
#include "transport/shared_behavior_actor.hpp"

namespace cafio::transport {

namespace {

using engineio::packet;
using engineio::packet_type;
using engineio::protocol_version;

shared_packets make_packets(packet_type type, std::string data = {}) {
  return std::make_shared<const std::vector<packet>>(
      std::vector<packet>{packet{type, std::move(data), false}});
}

// Control packets are immutable and shared by every session.
const shared_packets& ping_packets() {
  static const auto p = make_packets(packet_type::ping);
  return p;
}

const shared_packets& pong_packets() {
  static const auto p = make_packets(packet_type::pong);
  return p;
}

enum class phase : std::uint8_t {
  open,
  closing,  // the server closed a polling session; the close packet waits for a poll
  closed,
};

std::size_t gauge_transport(transport_kind k) {
  return k == transport_kind::polling ? metrics::polling : metrics::websocket;
}

std::size_t gauge_protocol(protocol_version v) {
  return v == protocol_version::v3 ? metrics::eio3 : metrics::eio4;
}

/// Packets waiting for a poll, with their compress flag.
struct buffered_packets {
  shared_packets packets;
  bool compress = true;
};

struct session_state;

using self_pointer = transport_actor::stateful_pointer<session_state>;

void send_packets(self_pointer self, const shared_packets& packets, bool is_volatile,
                  bool compress);
void server_close(self_pointer self, close_reason reason);

struct session_state : session_host {
  static inline const char* name = "cafio.transport";

  self_pointer actor = nullptr;
  std::shared_ptr<engine_context> ctx;
  std::string sid;
  protocol_version version = protocol_version::v4;
  bool supports_binary = true;
  std::optional<std::string> jsonp;      // JSONP polling: the callback index
  std::unique_ptr<session_upper> upper;  // the layer above, hosted here
  bool upper_told = false;               // the upper layer learned the end
  transport_kind transport = transport_kind::polling;
  phase state = phase::open;

  // polling
  http_exchange_ptr held_poll;
  std::vector<buffered_packets> buffer;  // what the next poll carries
  std::size_t buffered_bytes = 0;

  // The fast path other actors send through; it writes to `ws` directly
  // while the session is on WebSocket.
  session_sink_ptr sink;

  // websocket, and the upgrade candidate
  websocket_channel_ptr ws;
  websocket_channel_ptr probe;
  bool probed = false;  // the candidate answered "2probe"

  // Timers are delayed messages; a generation number voids the stale ones.
  std::uint64_t heartbeat_generation = 0;
  std::uint64_t upgrade_generation = 0;

  // session_host
  transport_actor::pointer self() override { return actor; }
  void send(const outgoing& out) override {
    send_packets(actor, out.packets, out.is_volatile, out.compress);
  }
  void close() override { server_close(actor, close_reason::forced_close); }

  ~session_state() override {
    // Also reached when the actor is killed (e.g. at shutdown): release the
    // I/O side and make sure nobody waits for this session any longer.
    if (ctx) ctx->sessions.erase(sid);
    if (held_poll) {
      std::string close = version == protocol_version::v3 ? "1:1" : "1";
      if (jsonp) close = engineio::jsonp::encode_response(*jsonp, close);
      held_poll->respond(payload_answer(ctx->options, held_poll->request(), std::move(close)));
    }
    if (sink) sink->detach();
    if (ws) ws->close();
    if (probe) probe->close();
    if (upper && !upper_told) {
      upper_told = true;
      upper->on_closed(close_reason::server_shutting_down);
    }
    if (ctx) {
      if (auto& stats = ctx->options.stats)
        metrics::add(stats->clients[gauge_transport(transport)][gauge_protocol(version)], -1);
      --ctx->live_sessions;
    }
  }
};

// --- framing -----------------------------------------------------------------

/// A polling response body: v4 '\x1e'-separated; v3 length-prefixed text,
/// or the XHR2 binary form when the client handles binary and a packet is
/// binary (engine.io-parser 2.x encodePayload).
struct polling_body {
  std::string bytes;
  bool binary = false;
  bool compress = false;  // HTTP compression allowed (engine.io: any packet's compress flag)
};

polling_body encode_polling_body(const session_state& st,
                                 const std::vector<buffered_packets>& groups) {
  polling_body body;
  std::size_t size = 0;
  bool any_binary = false;
  for (auto& g : groups) {
    body.compress = body.compress || g.compress;
    for (auto& p : *g.packets) {
      size += p.data.size() + 8;
      any_binary = any_binary || p.binary;
    }
  }
  body.bytes.reserve(size);
  auto append_all = [&groups](auto append) {
    for (auto& g : groups)
      for (auto& p : *g.packets) append(engineio::view(p));
  };
  if (st.version == protocol_version::v4) {
    append_all([&body](auto view) { engineio::append_to_payload(body.bytes, view); });
  } else if (st.supports_binary && any_binary) {
    body.binary = true;
    append_all([&body](auto view) { engineio::v3::append_to_binary_payload(body.bytes, view); });
  } else {
    append_all([&body](auto view) { engineio::v3::append_to_text_payload(body.bytes, view); });
  }
  return body;
}

/// A body of one control packet (noop, close), never compressed.
polling_body encode_polling_body(const session_state& st, const shared_packets& single) {
  return encode_polling_body(st, std::vector<buffered_packets>{{single, false}});
}

result<std::vector<packet>> decode_polling_body(const session_state& st, const http_request& req) {
  if (st.jsonp) {
    // engine.io's JSONP onData: a form without one `d` field is ignored.
    auto data = engineio::jsonp::decode_post(req.body);
    if (!data) return std::vector<packet>{};
    return st.version == protocol_version::v4 ? engineio::decode_payload(*data)
                                              : engineio::v3::decode_text_payload(*data);
  }
  if (st.version == protocol_version::v4) return engineio::decode_payload(req.body);
  auto type = req.header("content-type");
  if (type != nullptr && type->rfind("application/octet-stream", 0) == 0)
    return engineio::v3::decode_binary_payload(req.body);
  return engineio::v3::decode_text_payload(req.body);
}

// --- sending -----------------------------------------------------------------

http_answer poll_answer(const session_state& st, const http_request& req, polling_body body) {
  // A JSONP session's payload is always text (supports_binary is off).
  if (st.jsonp) body.bytes = engineio::jsonp::encode_response(*st.jsonp, body.bytes);
  return payload_answer(st.ctx->options, req, std::move(body.bytes), body.binary, body.compress);
}

void answer_poll(self_pointer self, polling_body body) {
  auto& st = self->state;
  auto poll = std::move(st.held_poll);
  st.held_poll = nullptr;
  poll->respond(poll_answer(st, poll->request(), std::move(body)));
}

void answer_poll_with(self_pointer self, packet_type type) {
  answer_poll(self, encode_polling_body(self->state, make_packets(type)));
}

void flush_polling(self_pointer self) {
  auto& st = self->state;
  if (!st.held_poll || st.buffer.empty()) return;
  auto body = encode_polling_body(st, st.buffer);
  st.buffer.clear();
  st.buffered_bytes = 0;
  answer_poll(self, std::move(body));
}

void tell_upper(self_pointer self, close_reason reason) {
  auto& st = self->state;
  if (st.upper_told) return;
  st.upper_told = true;
  if (auto& log = st.ctx->options.log; log && log->enabled(log_level::info))
    log->log(log_level::info, "engine.close", {{"sid", st.sid}, {"reason", to_string(reason)}});
  if (st.upper) st.upper->on_closed(reason);
}

/// The session is over: forget it, release the transports, stop.
void finish(self_pointer self) {
  auto& st = self->state;
  st.state = phase::closed;
  st.sink->detach();
  st.ctx->sessions.erase(st.sid);
  ++st.heartbeat_generation;
  ++st.upgrade_generation;
  if (st.ws) {
    st.ws->close();
    st.ws = nullptr;
  }
  if (st.probe) {
    st.probe->close();
    st.probe = nullptr;
  }
  self->quit();
}

/// Ended by the client or by a failure: no flush, the upper layer learns why.
void close_session(self_pointer self, close_reason reason) {
  auto& st = self->state;
  if (st.state == phase::closed) return;
  tell_upper(self, reason);
  if (st.held_poll) {
    // engine.io answers a client's close packet with a noop and tells the
    // client about any other end (ping timeout, overlapping polls, ...) with
    // a close packet.
    answer_poll_with(
        self, reason == close_reason::transport_close ? packet_type::noop : packet_type::close);
  }
  finish(self);
}

/// A poll of a session the server is closing: what was queued goes out
/// first, and the close packet in a response of its own, as engine.io does
/// (it closes on "drain"). Clients handle the packets of a payload after its
/// close packet, so a DISCONNECT sharing a payload with it would be lost.
void poll_while_closing(self_pointer self) {
  auto& st = self->state;
  if (!st.buffer.empty()) {
    flush_polling(self);
    return;
  }
  answer_poll_with(self, packet_type::close);
  finish(self);
}

/// Closed by the server: what was queued goes out first.
void server_close(self_pointer self, close_reason reason) {
  auto& st = self->state;
  if (st.state != phase::open) return;
  tell_upper(self, reason);
  st.state = phase::closing;
  if (st.transport == transport_kind::websocket) {
    finish(self);  // the channel writes its queue, then the close frame
    return;
  }
  if (st.held_poll) poll_while_closing(self);
  if (st.state == phase::closed) return;
  self->delayed_send(self, st.ctx->options.close_timeout, timer_atom::value,
                     session_timer::close_timeout, std::uint64_t{0});
}

/// Counts what leaves, message packets only (not pings, pongs, noops).
void count_sent(const session_state& st, const shared_packets& packets) {
  auto& stats = st.ctx->options.stats;
  if (!stats) return;
  std::uint64_t n = 0;
  std::uint64_t bytes = 0;
  for (auto& p : *packets)
    if (p.type == packet_type::message) {
      ++n;
      bytes += p.data.size();
    }
  metrics::add(stats->packets_out, n);
  metrics::add(stats->bytes_out, bytes);
}

void drop_volatile(const session_state& st) {
  if (auto& stats = st.ctx->options.stats) metrics::add(stats->volatile_dropped);
}

void send_packets(self_pointer self, const shared_packets& packets, bool is_volatile,
                  bool compress) {
  auto& st = self->state;
  if (st.state != phase::open || !packets || packets->empty()) return;
  if (st.transport == transport_kind::websocket) {
    if (is_volatile && !st.ws->writable()) return drop_volatile(st);
    count_sent(st, packets);
    st.ws->send(packets, compress);
    return;
  }
  if (is_volatile && !st.held_poll)
    return drop_volatile(st);  // polling is writable only while a GET is held
  count_sent(st, packets);
  st.buffer.push_back({packets, compress});
  for (auto& p : *packets) st.buffered_bytes += p.data.size() + 1;
  if (st.buffered_bytes > st.ctx->options.max_send_queue_bytes) {
    // A polling client that stopped polling must not grow the server.
    close_session(self, close_reason::transport_error);
    return;
  }
  flush_polling(self);
}

// --- heartbeat ---------------------------------------------------------------

void schedule_ping(self_pointer self) {
  auto& st = self->state;
  auto generation = ++st.heartbeat_generation;
  self->delayed_send(self, st.ctx->options.ping_interval, timer_atom::value, session_timer::ping,
                     generation);
}

void schedule_ping_timeout(self_pointer self) {
  auto& st = self->state;
  auto generation = ++st.heartbeat_generation;
  // EIO v3: the client pings; it is late after pingInterval + pingTimeout.
  auto delay = st.version == protocol_version::v3
                   ? st.ctx->options.ping_interval + st.ctx->options.ping_timeout
                   : st.ctx->options.ping_timeout;
  self->delayed_send(self, delay, timer_atom::value, session_timer::ping_timeout, generation);
}

// --- incoming ----------------------------------------------------------------

void on_packet(self_pointer self, packet&& p) {
  auto& st = self->state;
  switch (p.type) {
    case packet_type::message:
      if (auto& stats = st.ctx->options.stats) {
        metrics::add(stats->packets_in);
        metrics::add(stats->bytes_in, p.data.size());
      }
      if (st.upper) st.upper->on_message(p);
      break;
    case packet_type::pong:
      if (st.version != protocol_version::v4) {
        close_session(self, close_reason::transport_error);  // invalid heartbeat direction
        return;
      }
      schedule_ping(self);
      break;
    case packet_type::ping:
      if (st.version != protocol_version::v3) {
        close_session(self, close_reason::transport_error);  // invalid heartbeat direction
        return;
      }
      schedule_ping_timeout(self);
      // engine.io answers a plain "3" (data such as "probe" is echoed only by
      // an upgrade candidate, on_probe_packet).
      send_packets(self, pong_packets(), false, true);
      break;
    case packet_type::close:
      close_session(self, close_reason::transport_close);
      break;
    case packet_type::open:
    case packet_type::upgrade:
    case packet_type::noop:
      break;  // ignored, as by the reference server
  }
}

void abort_upgrade(self_pointer self) {
  auto& st = self->state;
  ++st.upgrade_generation;
  st.probed = false;
  if (st.probe) {
    st.probe->close();
    st.probe = nullptr;
  }
}

void complete_upgrade(self_pointer self) {
  auto& st = self->state;
  ++st.upgrade_generation;
  st.ws = std::move(st.probe);
  st.probe = nullptr;
  st.probed = false;
  if (auto& stats = st.ctx->options.stats) {
    metrics::add(stats->clients[metrics::polling][gauge_protocol(st.version)], -1);
    metrics::add(stats->clients[metrics::websocket][gauge_protocol(st.version)], 1);
  }
  if (auto& log = st.ctx->options.log; log && log->enabled(log_level::debug))
    log->log(log_level::debug, "engine.upgrade", {{"sid", st.sid}, {"transport", "websocket"}});
  st.transport = transport_kind::websocket;
  if (st.held_poll) answer_poll_with(self, packet_type::noop);
  // Whatever waited for a poll now goes over the WebSocket, in order.
  for (auto& group : st.buffer) st.ws->send(group.packets, group.compress);
  st.sink->attach(st.ws);
  st.buffer.clear();
  st.buffered_bytes = 0;
  if (st.upper) st.upper->on_upgraded(transport_kind::websocket);
}

void on_probe_packet(self_pointer self, packet&& p) {
  auto& st = self->state;
  if (p.type == packet_type::ping && p.data == "probe") {
    st.probe->send(make_packets(packet_type::pong, "probe"), false);
    st.probed = true;
    // The client pauses polling during the upgrade: release its held GET.
    if (st.held_poll && st.buffer.empty()) answer_poll_with(self, packet_type::noop);
    return;
  }
  if (p.type == packet_type::upgrade && st.state == phase::open) {
    complete_upgrade(self);
    return;
  }
  abort_upgrade(self);
}

/// Starts reading `channel`: its packets and its end come to this actor.
void start_channel(self_pointer self, const websocket_channel_ptr& channel) {
  auto actor = caf::actor_cast<transport_actor>(self);
  auto id = channel->id();
  channel->start(
      [actor, id](engineio::packet p) {
        caf::anon_send(actor, ws_packet_atom::value, id, std::move(p));
      },
      [actor, id](close_reason reason) {
        caf::anon_send(actor, ws_closed_atom::value, id, reason);
      });
}

void answer_error(self_pointer self, const http_exchange_ptr& ex, engineio::error_code code) {
  ex->respond(error_answer(self->state.ctx->options, ex->request(), code));
}

}  // namespace

namespace {

/// Sets a new session up: its state, its upper layer, the open packet, the
/// heartbeat.
void open_session(self_pointer self, std::shared_ptr<engine_context> ctx, session_start start) {
  auto& st = self->state;
  st.actor = self;
  st.ctx = ctx;
  ++ctx->live_sessions;
  st.sid = start.sid;
  st.version = start.version;
  st.supports_binary = start.supports_binary;
  st.jsonp = std::move(start.jsonp_index);
  st.transport = start.channel ? transport_kind::websocket : transport_kind::polling;
  st.ws = start.channel;
  ctx->sessions.insert(st.sid, session_entry{self, st.version});
  if (auto& stats = ctx->options.stats)
    metrics::add(stats->clients[gauge_transport(st.transport)][gauge_protocol(st.version)], 1);
  if (auto& log = ctx->options.log; log && log->enabled(log_level::info))
    log->log(log_level::info, "engine.open",
             {{"sid", st.sid},
              {"transport", to_string(st.transport)},
              {"protocol", st.version == protocol_version::v3 ? 3 : 4},
              {"address", start.request ? start.request->address : std::string()}});
  st.sink =
      std::make_shared<session_sink>(caf::actor_cast<session_handle>(self), ctx->options.stats);
  session_info info{st.sid, st.version, st.transport, st.supports_binary, start.request, st.sink};
  st.upper = ctx->factory(st, info);

  auto& opts = ctx->options;
  engineio::handshake_data handshake;
  handshake.sid = st.sid;
  if (st.transport == transport_kind::polling && opts.allow_upgrades && opts.allow_websocket)
    handshake.upgrades = {"websocket"};
  handshake.ping_interval_ms = static_cast<std::uint32_t>(opts.ping_interval.count());
  handshake.ping_timeout_ms = static_cast<std::uint32_t>(opts.ping_timeout.count());
  handshake.max_payload = opts.max_payload;
  // engine.io 6 tells v3 clients their maxPayload too (engine.io 3 did not);
  // old clients ignore the field.
  handshake.include_max_payload = true;
  auto open = make_packets(packet_type::open, engineio::open_packet_json(handshake));
  if (st.transport == transport_kind::polling) {
    st.held_poll = std::move(start.handshake);
    st.buffer.push_back({open, true});
    auto body = encode_polling_body(st, st.buffer);
    st.buffer.clear();
    auto answer = poll_answer(st, st.held_poll->request(), std::move(body));
    if (opts.cookie.enabled)
      answer.headers.emplace_back("Set-Cookie", handshake_cookie(opts.cookie, st.sid));
    auto poll = std::move(st.held_poll);
    st.held_poll = nullptr;
    poll->respond(std::move(answer));
  } else {
    st.ws->send(open, false);
    st.sink->attach(st.ws);
    start_channel(self, st.ws);
  }
  if (st.version == protocol_version::v4)
    schedule_ping(self);
  else
    schedule_ping_timeout(self);
  if (!st.upper) close_session(self, close_reason::forced_close);
}

/// The actor of a session. Its handlers are shared by every session
/// (shared_behavior_actor.hpp): each finds its own actor with running().
class session_actor final
    : public shared_behavior_actor<session_actor, transport_actor::stateful_base<session_state>> {
 public:
  session_actor(caf::actor_config& cfg, std::shared_ptr<engine_context> ctx, session_start start)
      : shared_behavior_actor(cfg),
        opening_(std::make_unique<opening>(opening{std::move(ctx), std::move(start)})) {}

  behavior_type make_behavior() override {
    auto o = std::move(opening_);
    open_session(this, std::move(o->ctx), std::move(o->start));
    static const behavior_type handlers = make_handlers();
    return handlers;
  }

 private:
  /// What the session starts with, until it has started (the state is made
  /// only then).
  struct opening {
    std::shared_ptr<engine_context> ctx;
    session_start start;
  };

  static behavior_type make_handlers();

  std::unique_ptr<opening> opening_;
};

session_actor::behavior_type session_actor::make_handlers() {
  return {
      [](send_atom, const outgoing& out) {
        self_pointer self = running();
        send_packets(self, out.packets, out.is_volatile, out.compress);
      },
      [](sink_send_atom, const outgoing& out) {
        self_pointer self = running();
        send_packets(self, out.packets, out.is_volatile, out.compress);
        self->state.sink->forwarded();
      },
      [](caf::close_atom) {
        self_pointer self = running();
        server_close(self, close_reason::forced_close);
      },
      [](caf::close_atom, close_reason reason) {
        self_pointer self = running();
        server_close(self, reason);
      },
      [](upper_atom, caf::message& signal) {
        self_pointer self = running();
        auto& st = self->state;
        if (st.upper && !st.upper_told) st.upper->on_signal(signal);
      },
      [](poll_atom, http_exchange_ptr& ex) {
        self_pointer self = running();
        auto& st = self->state;
        if (st.state == phase::closed) {
          answer_error(self, ex, engineio::error_code::unknown_sid);
          return;
        }
        if (st.transport != transport_kind::polling) {
          answer_error(self, ex, engineio::error_code::bad_request);  // transport mismatch
          return;
        }
        if (st.held_poll) {
          // engine.io: "overlap from client" fails the session; the held poll
          // learns it with a close packet.
          answer_error(self, ex, engineio::error_code::bad_request);
          close_session(self, close_reason::transport_error);
          return;
        }
        st.held_poll = std::move(ex);
        if (st.state == phase::closing) {
          poll_while_closing(self);
        } else if (!st.buffer.empty()) {
          flush_polling(self);
        } else if (st.probed) {
          answer_poll_with(self, packet_type::noop);
        }
      },
      [](post_atom, http_exchange_ptr& ex) {
        self_pointer self = running();
        auto& st = self->state;
        if (st.state == phase::closed) {
          answer_error(self, ex, engineio::error_code::unknown_sid);
          return;
        }
        if (st.transport != transport_kind::polling) {
          answer_error(self, ex, engineio::error_code::bad_request);
          return;
        }
        if (st.state == phase::closing) {
          ex->respond(ok_answer(st.ctx->options, ex->request()));
          return;
        }
        auto decoded = decode_polling_body(st, ex->request());
        if (!decoded) {
          // engine.io answers "ok" and closes the session (the next request
          // learns it); v4 keeps the clearer 400 that conformance-app.md §2.3
          // allows.
          if (st.version == protocol_version::v3)
            ex->respond(ok_answer(st.ctx->options, ex->request()));
          else
            answer_error(self, ex, engineio::error_code::bad_request);
          close_session(self, close_reason::parse_error);
          return;
        }
        ex->respond(ok_answer(st.ctx->options, ex->request()));
        for (auto& p : *decoded) {
          if (self->state.state != phase::open) break;
          on_packet(self, std::move(p));
        }
      },
      [](ws_open_atom, websocket_channel_ptr& channel) {
        self_pointer self = running();
        auto& st = self->state;
        auto& opts = st.ctx->options;
        start_channel(self, channel);
        if (st.state != phase::open || st.transport != transport_kind::polling || st.probe ||
            !opts.allow_upgrades || !opts.allow_websocket) {
          channel->close();  // engine.io accepts, then closes a refused upgrade
          return;
        }
        st.probe = std::move(channel);
        auto generation = ++st.upgrade_generation;
        self->delayed_send(self, opts.upgrade_timeout, timer_atom::value,
                           session_timer::upgrade_timeout, generation);
      },
      [](ws_packet_atom, std::uint64_t channel, engineio::packet& p) {
        self_pointer self = running();
        auto& st = self->state;
        if (st.state == phase::closed) return;
        if (st.ws && st.ws->id() == channel)
          on_packet(self, std::move(p));
        else if (st.probe && st.probe->id() == channel)
          on_probe_packet(self, std::move(p));
      },
      [](ws_closed_atom, std::uint64_t channel, close_reason reason) {
        self_pointer self = running();
        auto& st = self->state;
        if (st.ws && st.ws->id() == channel) {
          st.ws = nullptr;
          close_session(self, reason);
        } else if (st.probe && st.probe->id() == channel) {
          st.probe = nullptr;
          abort_upgrade(self);
        }
      },
      [](poll_abort_atom, std::uint64_t exchange) {
        self_pointer self = running();
        auto& st = self->state;
        if (st.held_poll && st.held_poll->id() == exchange) {
          st.held_poll = nullptr;
          // engine.io: "poll connection closed prematurely"
          close_session(self, close_reason::transport_error);
        }
      },
      [](timer_atom, session_timer timer, std::uint64_t generation) {
        self_pointer self = running();
        auto& st = self->state;
        switch (timer) {
          case session_timer::ping:
            if (generation == st.heartbeat_generation && st.state == phase::open) {
              send_packets(self, ping_packets(), false, true);
              schedule_ping_timeout(self);
            }
            break;
          case session_timer::ping_timeout:
            if (generation == st.heartbeat_generation && st.state == phase::open)
              close_session(self, close_reason::ping_timeout);
            break;
          case session_timer::upgrade_timeout:
            if (generation == st.upgrade_generation && st.probe) abort_upgrade(self);
            break;
          case session_timer::close_timeout:
            if (st.state == phase::closing) finish(self);
            break;
        }
      },
  };
}

}  // namespace

transport_actor spawn_session(std::shared_ptr<engine_context> context, session_start start) {
  auto& sys = context->system;
  return sys.spawn<session_actor>(std::move(context), std::move(start));
}

}  // namespace cafio::transport
