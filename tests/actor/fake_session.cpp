#include "tests/actor/fake_session.hpp"

#include <algorithm>

#include <caf/mailbox_element.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "protocol/engineio_packet.hpp"

namespace cafio::test {

session_log::session_log(std::shared_ptr<std::atomic<std::uint64_t>> clock)
    : clock_(std::move(clock)) {}

void session_log::add(session_record::kind what, std::string data) {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    records_.push_back(session_record{clock_->fetch_add(1) + 1, what, std::move(data)});
  }
  changed_.notify_all();
}

void session_log::record_outgoing(const transport::outgoing& out) {
  if (!out.packets) return;
  {
    // One batch at once: a waiter never sees a text without its attachments.
    std::lock_guard<std::mutex> guard{mutex_};
    for (auto& p : *out.packets) {
      auto seq = clock_->fetch_add(1) + 1;
      if (p.binary)
        records_.push_back(session_record{seq, session_record::kind::binary, p.data});
      else
        records_.push_back(session_record{seq, session_record::kind::text,
                                          engineio::encode_text_frame(engineio::view(p))});
    }
  }
  changed_.notify_all();
}

void session_log::record_close() {
  add(session_record::kind::close, {});
}

std::vector<session_record> session_log::records() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return records_;
}

std::vector<std::string> session_log::texts() const {
  std::vector<std::string> result;
  std::lock_guard<std::mutex> guard{mutex_};
  for (auto& r : records_)
    if (r.what == session_record::kind::text) result.push_back(r.data);
  return result;
}

std::size_t session_log::count_text(const std::string& text) const {
  auto all = texts();
  return static_cast<std::size_t>(std::count(all.begin(), all.end(), text));
}

std::size_t session_log::size() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return records_.size();
}

std::optional<session_record> session_log::wait_for(std::function<bool(const session_record&)> pred,
                                                    std::chrono::milliseconds limit,
                                                    std::size_t from) const {
  std::optional<session_record> found;
  std::unique_lock<std::mutex> guard{mutex_};
  changed_.wait_for(guard, limit, [&] {
    if (from >= records_.size()) return false;
    auto i =
        std::find_if(records_.begin() + static_cast<std::ptrdiff_t>(from), records_.end(), pred);
    if (i == records_.end()) return false;
    found = *i;
    return true;
  });
  return found;
}

std::optional<session_record> session_log::wait_for_text(const std::string& text,
                                                         std::size_t from) const {
  return wait_for(
      [&](const session_record& r) {
        return r.what == session_record::kind::text && r.data == text;
      },
      wait_limit, from);
}

std::optional<session_record> session_log::wait_for_prefix(const std::string& prefix,
                                                           std::size_t from) const {
  return wait_for(
      [&](const session_record& r) {
        return r.what == session_record::kind::text &&
               r.data.compare(0, prefix.size(), prefix) == 0;
      },
      wait_limit, from);
}

std::optional<session_record> session_log::wait_for_close(std::chrono::milliseconds limit) const {
  return wait_for([](const session_record& r) { return r.what == session_record::kind::close; },
                  limit);
}

namespace {

/// Records each request when it is enqueued, on the sender's thread: the
/// shared sequence numbers then say in which order the senders issued them.
/// What the hosted client sends is recorded when it sends it, inside this
/// actor.
class fake_session_actor : public transport::transport_actor::base, public transport::session_host {
 public:
  using super = transport::transport_actor::base;

  fake_session_actor(caf::actor_config& cfg, std::shared_ptr<session_log> log,
                     transport::upper_factory factory, transport::session_info info)
      : super(cfg), log_(std::move(log)), factory_(std::move(factory)), info_(std::move(info)) {}

  void enqueue(caf::mailbox_element_ptr what, caf::execution_unit* host) override {
    auto& content = what->content();
    if (content.match_elements<transport::send_atom, transport::outgoing>() ||
        content.match_elements<transport::sink_send_atom, transport::outgoing>())
      log_->record_outgoing(content.get_as<transport::outgoing>(1));
    else if (content.match_elements<caf::close_atom>())
      log_->record_close();
    super::enqueue(std::move(what), host);
  }

  // session_host
  transport::transport_actor::pointer self() override { return this; }
  void send(const transport::outgoing& out) override { log_->record_outgoing(out); }
  void close() override {
    log_->record_close();
    end(transport::close_reason::forced_close);
  }

  // The client holds this session's handle (through its sink): drop it when
  // the actor ends, as a real session drops its state, or neither would go.
  void on_exit() override { upper_.reset(); }

  behavior_type make_behavior() override {
    upper_ = factory_(*this, info_);
    using namespace transport;
    return {
        [](send_atom, const outgoing&) {},
        [](sink_send_atom, const outgoing&) {},
        [this](caf::close_atom) { end(close_reason::forced_close); },
        [this](upper_atom, caf::message& signal) {
          if (upper_ && !ended_) upper_->on_signal(signal);
        },
        [](poll_atom, http_exchange_ptr&) {},
        [](post_atom, http_exchange_ptr&) {},
        [](ws_open_atom, websocket_channel_ptr&) {},
        [this](ws_packet_atom, std::uint64_t, engineio::packet& p) {
          if (upper_ && !ended_) upper_->on_message(p);
        },
        [this](ws_closed_atom, std::uint64_t, close_reason reason) { end(reason); },
        [](poll_abort_atom, std::uint64_t) {},
        [this](caf::close_atom, close_reason reason) { end(reason); },
        [](timer_atom, session_timer, std::uint64_t) {},
    };
  }

 private:
  /// The session is over: the client learns why, once, and the actor stops.
  void end(transport::close_reason reason) {
    if (ended_) return;
    ended_ = true;
    if (upper_) upper_->on_closed(reason);
    quit();
  }

  std::shared_ptr<session_log> log_;
  transport::upper_factory factory_;
  transport::session_info info_;
  std::unique_ptr<transport::session_upper> upper_;
  bool ended_ = false;
};

}  // namespace

transport::transport_actor spawn_fake_session(caf::actor_system& sys,
                                              std::shared_ptr<session_log> log,
                                              transport::upper_factory factory,
                                              transport::session_info info) {
  return sys.spawn<fake_session_actor>(std::move(log), std::move(factory), std::move(info));
}

}  // namespace cafio::test
