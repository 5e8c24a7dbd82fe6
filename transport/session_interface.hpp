// The typed messages other actors send an Engine.IO session (the transport
// actor), and what the layer above it (hosted inside that actor, see
// session_upper.hpp) learns about a new session. Declared here so that
// actors/ depends on transport/'s interfaces only, never on Beast.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/message.hpp>
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

using upper_atom = caf::atom_constant<caf::atom("eio_upper")>;
/// Tells a socket that its connection moved to another transport.
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
    /// upper layer then learns `forced_close`.
    caf::reacts_to<caf::close_atom>,
    /// A message for the layer above, which runs inside the session's actor
    /// (session_upper::on_signal); the transport does not look into it.
    caf::reacts_to<upper_atom, caf::message>>;

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

class session_host;
class session_upper;

/// Creates the layer above a new session (session_upper.hpp), inside the
/// session's actor, before the open packet is sent; null refuses the session
/// (it is closed).
using upper_factory =
    std::function<std::unique_ptr<session_upper>(session_host& host, const session_info& info)>;

}  // namespace cafio::transport
