#include "transport/session_sink.hpp"

#include <caf/send.hpp>

namespace cafio::transport {

void session_sink::send(const outgoing& out) {
  websocket_channel_ptr channel;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (channel_ && via_actor_ == 0)
      channel = channel_;
    else
      ++via_actor_;
  }
  if (!channel) {
    caf::anon_send(session_, sink_send_atom::value, out);
    return;
  }
  if (out.is_volatile && !channel->writable()) {
    if (stats_) metrics::add(stats_->volatile_dropped);
    return;
  }
  if (stats_) {
    std::uint64_t bytes = 0;
    for (auto& p : *out.packets) bytes += p.data.size();
    metrics::add(stats_->packets_out, out.packets->size());
    metrics::add(stats_->bytes_out, bytes);
  }
  channel->send(out.packets, out.compress);
}

void session_sink::attach(websocket_channel_ptr channel) {
  std::lock_guard<std::mutex> guard{mutex_};
  channel_ = std::move(channel);
}

void session_sink::detach() {
  std::lock_guard<std::mutex> guard{mutex_};
  channel_ = nullptr;
}

void session_sink::forwarded() {
  std::lock_guard<std::mutex> guard{mutex_};
  if (via_actor_ > 0) --via_actor_;
}

}  // namespace cafio::transport
