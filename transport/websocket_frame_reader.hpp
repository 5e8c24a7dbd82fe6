// Reads WebSocket frames (RFC 6455, 5) from bytes as they arrive, with no
// I/O of its own: the reading side of plain_websocket_connection and of the
// load generator. It unmasks in place, hands a message that arrives whole in
// one frame as a view of the caller's bytes (no copy), joins fragmented
// messages, lets control frames through between fragments, and checks what
// Beast and npm ws check: the mask bit for the role, reserved bits (no
// extension is negotiated on this path), opcodes, control-frame rules,
// the message size limit and UTF-8 in text and close reasons.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "transport/websocket_frame.hpp"

namespace cafio::transport {

/// RFC 6455 close codes the reader fails with.
namespace websocket_close_code {
constexpr std::uint16_t normal = 1000;
constexpr std::uint16_t protocol_error = 1002;
constexpr std::uint16_t no_status = 1005;  // a close frame without a code
constexpr std::uint16_t invalid_payload = 1007;
constexpr std::uint16_t message_too_big = 1009;
}  // namespace websocket_close_code

/// One thing read: a whole message, or a control frame.
struct websocket_frame_event {
  websocket_opcode opcode;       // text, binary, ping, pong or close
  std::string_view payload;      // valid during the callback; for close, the reason
  std::uint16_t close_code = 0;  // close only: the code, or 1005 when none was sent
};

class websocket_frame_reader {
 public:
  /// `masked`: frames must be masked (a server reading a client) or must not
  /// be (a client reading a server). `max_message`: the largest message.
  websocket_frame_reader(bool masked, std::size_t max_message)
      : masked_(masked), max_message_(max_message) {}

  /// Consumes `size` bytes at `data` (unmasking them in place) and calls
  /// `on_event(const websocket_frame_event&)` for each message and control
  /// frame completed. Returns 0, or the close code of the first violation:
  /// from then on the reader ignores everything. Nothing is read after a
  /// close frame.
  template <class OnEvent>
  std::uint16_t feed(char* data, std::size_t size, OnEvent&& on_event) {
    if (error_ != 0 || closed_) return error_;
    if (partial_.empty()) {
      auto used = consume(data, size, on_event);
      if (error_ == 0 && !closed_ && used < size) partial_.assign(data + used, size - used);
      return error_;
    }
    partial_.append(data, size);
    auto used = consume(partial_.data(), partial_.size(), on_event);
    if (used == partial_.size())
      std::string().swap(partial_);  // an idle connection keeps no buffer
    else
      partial_.erase(0, used);
    return error_;
  }

  /// A close frame was read.
  bool closed() const noexcept { return closed_; }

  /// Holds no partial frame or fragmented message.
  bool idle() const noexcept { return partial_.empty() && !in_message_; }

 private:
  /// What the header at the start of the bytes says.
  struct header {
    bool fin;
    websocket_opcode opcode;
    std::size_t header_size;
    std::uint64_t length;
    const unsigned char* mask;  // null when unmasked
  };

  /// Reads one header: 1 when complete, 0 when more bytes are needed,
  /// -1 on a violation (error_ set).
  int parse_header(const char* data, std::size_t size, header& h);

  /// Checks a frame's header against the message state; false sets error_.
  bool admissible(const header& h);

  /// A control frame's payload, as an event; false sets error_.
  bool control_event(const header& h, std::string_view payload, websocket_frame_event& event);

  /// A complete message's text must be UTF-8; false sets error_.
  bool valid_message(websocket_opcode opcode, std::string_view payload);

  template <class OnEvent>
  std::size_t consume(char* data, std::size_t size, OnEvent& on_event) {
    std::size_t at = 0;
    while (error_ == 0 && !closed_) {
      header h;
      int got = parse_header(data + at, size - at, h);
      if (got <= 0) break;
      if (!admissible(h)) break;
      if (size - at - h.header_size < h.length) break;  // the payload is still coming
      char* payload = data + at + h.header_size;
      auto length = static_cast<std::size_t>(h.length);
      if (h.mask)
        for (std::size_t i = 0; i < length; ++i) payload[i] ^= static_cast<char>(h.mask[i & 3]);
      at += h.header_size + length;
      std::string_view bytes(payload, length);
      if (static_cast<unsigned char>(h.opcode) >= 0x8) {
        websocket_frame_event event{};
        if (!control_event(h, bytes, event)) break;
        on_event(static_cast<const websocket_frame_event&>(event));
        continue;
      }
      if (h.fin && !in_message_) {  // the common case: a whole message, no copy
        if (!valid_message(h.opcode, bytes)) break;
        on_event(websocket_frame_event{h.opcode, bytes, 0});
        continue;
      }
      if (!in_message_) {
        in_message_ = true;
        message_opcode_ = h.opcode;
      }
      message_.append(bytes);
      if (!h.fin) continue;
      in_message_ = false;
      std::string whole;
      whole.swap(message_);
      if (!valid_message(message_opcode_, whole)) break;
      on_event(websocket_frame_event{message_opcode_, whole, 0});
    }
    return at;
  }

  bool masked_;
  std::size_t max_message_;
  std::string partial_;  // an incomplete frame, kept until the rest arrives
  std::string message_;  // the fragments of a message so far
  websocket_opcode message_opcode_ = websocket_opcode::text;
  bool in_message_ = false;
  bool closed_ = false;
  std::uint16_t error_ = 0;
};

}  // namespace cafio::transport
