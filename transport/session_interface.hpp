// The typed messages between an Engine.IO session (the transport actor) and
// the layer above it (the Socket.IO client actor, or any other consumer such
// as the Engine.IO echo app). Declared here so that actors/ depends on
// transport/'s interfaces only, never on Beast.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/typed_actor.hpp>

#include "protocol/engineio_packet.hpp"
#include "transport/close_reason.hpp"
#include "transport/handshake_request.hpp"

namespace cafio::engineio {

// Lets Engine.IO packets travel in CAF messages (and across nodes).
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, packet& x) {
  return f(caf::meta::type_name("cafio.engineio.packet"), x.type, x.data, x.binary);
}

}  // namespace cafio::engineio

namespace cafio::transport {

using message_atom = caf::atom_constant<caf::atom("eio_msg")>;
using closed_atom = caf::atom_constant<caf::atom("eio_closed")>;
using upgraded_atom = caf::atom_constant<caf::atom("eio_upgr")>;
using send_atom = caf::atom_constant<caf::atom("eio_send")>;
using sink_send_atom = caf::atom_constant<caf::atom("eio_ssend")>;

/// Engine.IO message packets the upper layer hands down, e.g. a Socket.IO
/// packet and its binary attachments. Encoded once and shared, immutable, by
/// every session that sends it (a broadcast never copies per recipient).
struct outgoing {
  std::shared_ptr<const std::vector<engineio::packet>> packets;
  /// Dropped instead of queued when the transport cannot write right now.
  bool is_volatile = false;
  /// permessage-deflate / HTTP compression allowed for these packets.
  bool compress = true;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, outgoing& x) {
  // Across nodes the packets are sent by value and shared again on arrival.
  std::vector<engineio::packet> tmp;
  if constexpr (Inspector::reads_state) {
    if (x.packets) tmp = *x.packets;
  }
  return f(caf::meta::type_name("cafio.outgoing"), tmp, x.is_volatile, x.compress,
           caf::meta::load_callback([&]() -> caf::error {
             x.packets = std::make_shared<const std::vector<engineio::packet>>(std::move(tmp));
             return caf::none;
           }));
}

/// Makes an outgoing batch of one text message packet.
outgoing make_text_message(std::string text, bool is_volatile = false, bool compress = true);

/// The handle of an Engine.IO session, as the upper layer sees it.
using session_handle = caf::typed_actor<
    /// Sends message packets, in order, on whatever transport is current.
    caf::reacts_to<send_atom, outgoing>,
    /// The same, handed on by the session's sink (session_sink.hpp).
    caf::reacts_to<sink_send_atom, outgoing>,
    /// Closes the session after what was sent before has been flushed. The
    /// listener then receives `closed_atom, forced_close`.
    caf::reacts_to<caf::close_atom>>;

/// What an Engine.IO session reports upward. Exactly one `closed_atom` ends
/// the conversation; nothing follows it.
using session_listener = caf::typed_actor<
    /// A message packet (text, or binary when `packet.binary`).
    caf::reacts_to<message_atom, engineio::packet>,
    /// The session is gone, and why.
    caf::reacts_to<closed_atom, close_reason>,
    /// The session moved from polling to websocket.
    caf::reacts_to<upgraded_atom, transport_kind>>;

class session_sink;

/// What the upper layer learns about a new session.
struct session_info {
  std::string sid;
  engineio::protocol_version version = engineio::protocol_version::v4;
  transport_kind transport = transport_kind::polling;
  /// Whether binary messages can be sent as such (false for Engine.IO v3
  /// polling clients that asked for base64 with b64=1).
  bool supports_binary = true;
  std::shared_ptr<const handshake_request> request;
  /// The session's fast path for outgoing packets (session_sink.hpp).
  std::shared_ptr<session_sink> sink;
};

/// Creates the listener of a new session. Called once per session, inside the
/// new session's actor, before the open packet is sent.
using listener_factory =
    std::function<session_listener(caf::actor_system&, session_handle, const session_info&)>;

}  // namespace cafio::transport
