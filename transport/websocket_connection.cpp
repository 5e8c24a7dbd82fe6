#include "transport/websocket_connection.hpp"

#include <utility>

#include "protocol/engineio_packet.hpp"

namespace cafio::transport {

namespace {

std::atomic<std::uint64_t> next_connection_id{1};

constexpr char type_chars[] = "0123456";
constexpr char v3_binary_type = 4;

std::size_t bytes_of(const shared_packets& packets) {
  std::size_t bytes = 0;
  for (auto& p : *packets) bytes += p.data.size() + 1;
  return bytes;
}

}  // namespace

websocket_connection::websocket_connection(websocket_framing framing,
                                           std::size_t max_send_queue_bytes)
    : version_(framing.version),
      base64_binary_(framing.base64_binary),
      max_queue_(max_send_queue_bytes),
      id_(next_connection_id++) {}

void websocket_connection::start(std::function<void(engineio::packet)> on_packet,
                                 std::function<void(close_reason)> on_closed) {
  run_at_home([self = shared_from_this(), on_packet = std::move(on_packet),
               on_closed = std::move(on_closed)]() mutable {
    self->on_packet_ = std::move(on_packet);
    self->on_closed_ = std::move(on_closed);
    if (self->closed_) {
      self->report_closed(close_reason::transport_close);
      return;
    }
    self->start_reading();
  });
}

void websocket_connection::send(shared_packets packets, bool compress) {
  auto accepted = account(packets);
  run_at_home([self = shared_from_this(), packets = std::move(packets), compress, accepted] {
    self->enqueue(packets, compress, accepted);
  });
}

void websocket_connection::send_here(const shared_packets& packets, bool compress) {
  enqueue(packets, compress, account(packets));
}

void websocket_connection::close() {
  run_at_home([self = shared_from_this()] {
    self->close_requested_ = true;
    self->write_next();
  });
}

bool websocket_connection::account(const shared_packets& packets) {
  auto bytes = bytes_of(packets);
  auto total = queued_bytes_.fetch_add(bytes) + bytes;
  queued_frames_.fetch_add(packets->size());
  return total <= max_queue_;
}

void websocket_connection::enqueue(const shared_packets& packets, bool compress, bool accepted) {
  if (closed_ || !accepted) {
    queued_bytes_ -= bytes_of(packets);
    queued_frames_ -= packets->size();
    // A client that does not read must not make the server grow without
    // bound: drop it, as a slow consumer.
    if (!closed_) fail(close_reason::transport_error);
    return;
  }
  for (std::size_t i = 0; i < packets->size(); ++i) queue_.push_back({packets, i, compress});
  write_next();
}

void websocket_connection::release_front() {
  queued_bytes_ -= front_packet().data.size() + 1;
  queued_frames_ -= 1;
  queue_[queue_head_++] = frame{};  // releases the packets now
  if (queue_head_ == queue_.size()) {
    queue_.clear();
    queue_head_ = 0;
  }
}

void websocket_connection::drop_queue(std::size_t keep) {
  while (queue_.size() - queue_head_ > keep) {
    auto& f = queue_.back();
    queued_bytes_ -= (*f.packets)[f.index].data.size() + 1;
    queued_frames_ -= 1;
    queue_.pop_back();
  }
}

websocket_connection::message websocket_connection::message_of(const engineio::packet& p) {
  if (p.binary && base64_binary_) {
    // EIO v3 b64=1 client: binary as "b4<base64>" text.
    base64_text_ = engineio::encode_base64_text_frame(engineio::view(p));
    return {{base64_text_, {}}, false};
  }
  if (p.binary) {
    // v4 binary frames are the raw data; v3 ones start with the packet type
    // as a byte.
    auto prefix = version_ == engineio::protocol_version::v3 ? std::string_view(&v3_binary_type, 1)
                                                             : std::string_view();
    return {{prefix, p.data}, true};
  }
  return {{std::string_view(&type_chars[static_cast<char>(p.type) - '0'], 1), p.data}, false};
}

bool websocket_connection::deliver(bool text, std::string_view bytes) {
  // EIO v3 text frames may carry binary as "b<type><base64>".
  auto decoded = !text ? engineio::decode_binary_frame(bytes, version_)
                 : version_ == engineio::protocol_version::v3
                     ? engineio::decode_text_frame_v3(bytes)
                     : engineio::decode_text_frame(bytes);
  if (!decoded) return false;
  if (on_packet_) on_packet_(std::move(*decoded));
  return true;
}

void websocket_connection::report_closed(close_reason reason) {
  if (reported_ || !on_closed_) return;
  reported_ = true;
  auto callback = std::move(on_closed_);
  on_closed_ = nullptr;
  on_packet_ = nullptr;
  callback(reason);
}

}  // namespace cafio::transport
