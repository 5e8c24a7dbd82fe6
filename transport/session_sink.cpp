#include "transport/session_sink.hpp"

#include <caf/send.hpp>

namespace cafio::transport {

websocket_channel_ptr session_sink::direct_or_forward(const outgoing& out) {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (channel_ && via_actor_ == 0) return channel_;
    ++via_actor_;
  }
  caf::anon_send(session_, sink_send_atom::value, out);
  return nullptr;
}

namespace {

/// Whether a volatile packet must be dropped; counts what is written.
bool admit(const metrics_ptr& stats, websocket_channel& channel, const outgoing& out) {
  if (out.is_volatile && !channel.writable()) {
    if (stats) metrics::add(stats->volatile_dropped);
    return false;
  }
  if (stats) {
    std::uint64_t bytes = 0;
    for (auto& p : *out.packets) bytes += p.data.size();
    metrics::add(stats->packets_out, out.packets->size());
    metrics::add(stats->bytes_out, bytes);
  }
  return true;
}

}  // namespace

void session_sink::send(const outgoing& out) {
  if (auto channel = direct_or_forward(out); channel && admit(stats_, *channel, out))
    channel->send(out.packets, out.compress);
}

void delivery_batch::add(session_sink& sink, const outgoing& out) {
  auto channel = sink.direct_or_forward(out);
  if (!channel || !admit(sink.stats(), *channel, out)) return;
  auto home = channel->home();
  for (auto& g : groups_)
    if (g.home == home) {
      g.items.push_back(item{std::move(channel), &out});
      return;
    }
  groups_.push_back(group{home, {}});
  groups_.back().items.push_back(item{std::move(channel), &out});
}

void delivery_batch::flush() {
  for (auto& g : groups_) {
    // The packets are shared; the task keeps them alive.
    std::vector<std::pair<websocket_channel_ptr, outgoing>> work;
    work.reserve(g.items.size());
    for (auto& it : g.items) work.emplace_back(std::move(it.channel), *it.out);
    auto first = work.front().first;
    first->run_at_home([work = std::move(work)] {
      for (auto& [channel, out] : work) channel->send_here(out.packets, out.compress);
    });
  }
  groups_.clear();
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
