// Socket.IO packets (protocol v5, and v4 which shares the same framing):
// "<type>[<attachments>-][<nsp>,][<ack id>][<json payload>]".
// See socket.io-protocol README and socket.io-parser's decodeString().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/result.hpp"

namespace cafio::socketio {

enum class protocol_version : std::uint8_t { v4 = 4, v5 = 5 };

enum class packet_type : std::uint8_t {
  connect = 0,
  disconnect = 1,
  event = 2,
  ack = 3,
  connect_error = 4,
  binary_event = 5,
  binary_ack = 6,
};

/// One Socket.IO packet. Binary values inside `data` are
/// nlohmann::json::binary_t; `data` is empty when the packet has no payload.
struct packet {
  packet_type type = packet_type::event;
  std::string nsp = "/";
  std::optional<std::uint64_t> id;
  std::optional<nlohmann::json> data;
};

/// The text part of an encoded packet and its binary attachments, in order.
struct encoded_packet {
  std::string text;
  std::vector<std::string> attachments;
};

/// Returns whether `j` holds a binary value anywhere.
bool has_binary(const nlohmann::json& j);

/// Encodes a packet. Binary values are replaced by placeholders
/// {"_placeholder":true,"num":N} and returned as attachments; an event or ack
/// carrying binary is sent as binary_event / binary_ack with its count.
encoded_packet encode(const packet& p);

/// JSON as JavaScript's JSON.stringify writes it (no spaces; UTF-8 kept as
/// is; invalid UTF-8 replaced rather than thrown on).
std::string to_json_text(const nlohmann::json& j);

/// connect, connect_error, disconnect, disconnecting, newListener,
/// removeListener: names an application may neither send nor receive.
bool is_reserved_event_name(std::string_view name);

struct decoder_options {
  /// Most attachments one packet may announce (socket.io-parser's default).
  std::size_t max_attachments = 10;
};

/// Decodes the messages of one connection. Stateful: a binary packet
/// announces N attachments, which arrive as the next N binary messages.
class decoder {
 public:
  explicit decoder(decoder_options options = {});

  /// Feeds one text message. Returns the packet when it is complete, or an
  /// empty optional when it announced attachments that must follow.
  /// Fails on anything socket.io-parser rejects: unknown type, illegal
  /// attachment count, bad ack id or JSON, a payload of the wrong shape for
  /// its type (e.g. an event that is not a non-empty array starting with a
  /// string or number, or with a reserved name), or a text message while
  /// attachments are still expected.
  result<std::optional<packet>> decode_text(std::string_view text);

  /// Feeds one binary message (an attachment). Fails when none is expected
  /// or when a placeholder does not match the attachments.
  result<std::optional<packet>> decode_binary(std::string_view bytes);

  /// Whether attachments of a binary packet are still expected.
  bool awaiting_attachments() const noexcept { return pending_.has_value(); }

 private:
  decoder_options options_;
  std::optional<packet> pending_;
  std::size_t expected_attachments_ = 0;
  std::vector<std::string> attachments_;
};

}  // namespace cafio::socketio
