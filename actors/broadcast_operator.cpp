#include "actors/broadcast_operator.hpp"

#include <chrono>

#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/socket_state.hpp"

namespace cafio {

namespace {

// How long a socket query waits for the namespace before giving up.
constexpr auto query_timeout = std::chrono::seconds(5);

bool same_namespace(const detail::socket_state* st, const namespace_actor& ns) {
  return st != nullptr && st->ns.address() == ns.address();
}

/// Asks the namespace and hands the answer to `callback`: inside the calling
/// socket's actor when called from a handler, else on this thread.
template <class Result, class... Ts>
void ask(const namespace_actor& ns, std::function<void(Result)> callback, Ts... xs) {
  if (auto st = detail::current_socket(); st != nullptr) {
    auto self = st->self;
    self->request(ns, query_timeout, xs...)
        .then(
            [self, callback](Result& result) {
              detail::current_socket_scope scope{&self->state};
              callback(std::move(result));
            },
            [self, callback](caf::error&) {
              detail::current_socket_scope scope{&self->state};
              callback(Result{});
            });
    return;
  }
  caf::scoped_actor self{ns->home_system()};
  self->request(ns, query_timeout, xs...)
      .receive([&](Result& result) { callback(std::move(result)); },
               [&](caf::error&) { callback(Result{}); });
}

}  // namespace

transport::outgoing make_outgoing(const socketio::packet& packet, bool is_volatile, bool compress) {
  auto encoded = socketio::encode(packet);
  std::vector<engineio::packet> packets;
  packets.reserve(1 + encoded.attachments.size());
  packets.push_back(
      engineio::packet{engineio::packet_type::message, std::move(encoded.text), false});
  for (auto& attachment : encoded.attachments)
    packets.push_back(
        engineio::packet{engineio::packet_type::message, std::move(attachment), true});
  return transport::outgoing{
      std::make_shared<const std::vector<engineio::packet>>(std::move(packets)), is_volatile,
      compress};
}

result<socketio::packet> make_event_packet(const std::string& nsp, const std::string& event,
                                           args arguments) {
  if (socketio::is_reserved_event_name(event))
    return make_error('"' + event + "\" is a reserved event name");
  auto data = json::array();
  data.get_ref<json::array_t&>().reserve(arguments.size() + 1);
  data.push_back(event);
  for (auto& a : arguments) data.push_back(std::move(a));
  return socketio::packet{socketio::packet_type::event, nsp, std::nullopt, std::move(data)};
}

broadcast_operator::broadcast_operator(namespace_actor ns, std::string nsp, std::string sender)
    : ns_(std::move(ns)), nsp_(std::move(nsp)), sender_(std::move(sender)) {}

broadcast_operator broadcast_operator::to(std::string room) const {
  auto copy = *this;
  if (std::find(copy.rooms_.begin(), copy.rooms_.end(), room) == copy.rooms_.end())
    copy.rooms_.push_back(std::move(room));
  return copy;
}

broadcast_operator broadcast_operator::to(const std::vector<std::string>& rooms) const {
  auto copy = *this;
  for (auto& room : rooms) copy = copy.to(room);
  return copy;
}

broadcast_operator broadcast_operator::except(std::string room) const {
  auto copy = *this;
  copy.except_.push_back(std::move(room));
  return copy;
}

broadcast_operator broadcast_operator::except(const std::vector<std::string>& rooms) const {
  auto copy = *this;
  copy.except_.insert(copy.except_.end(), rooms.begin(), rooms.end());
  return copy;
}

broadcast_operator broadcast_operator::local() const {
  auto copy = *this;
  copy.local_ = true;
  return copy;
}

broadcast_operator broadcast_operator::volatile_() const {
  auto copy = *this;
  copy.volatile_flag_ = true;
  return copy;
}

broadcast_operator broadcast_operator::compress(bool value) const {
  auto copy = *this;
  copy.compress_ = value;
  return copy;
}

emit_status broadcast_operator::emit(const std::string& event, args arguments) const {
  auto packet = make_event_packet(nsp_, event, std::move(arguments));
  if (!packet) return emit_status{packet.error().message};
  auto data = std::make_shared<broadcast_data>();
  data->rooms = rooms_;
  data->except = except_;
  data->sender = sender_;
  data->id = next_broadcast_id();
  data->local = local_;
  // Encoded once here; every recipient shares these bytes.
  data->packet = make_outgoing(*packet, volatile_flag_, compress_);
  data->event = std::move(*packet->data);
  broadcast b{std::move(data)};
  if (auto st = detail::current_socket(); same_namespace(st, ns_))
    detail::track_broadcast(*st, std::move(b));
  else
    caf::anon_send(ns_, broadcast_atom::value, std::move(b));
  return emit_status{};
}

socket_query broadcast_operator::query() const {
  socket_query q;
  q.rooms = rooms_;
  q.except = except_;
  q.local = local_;
  return q;
}

void broadcast_operator::fetch_socket_ids(
    std::function<void(std::vector<std::string>)> callback) const {
  ask<std::vector<std::string>>(ns_, std::move(callback), members_atom::value, query());
}

void broadcast_operator::fetch_sockets(
    std::function<void(std::vector<socket_info>)> callback) const {
  ask<std::vector<socket_info>>(ns_, std::move(callback), fetch_atom::value, query());
}

void broadcast_operator::sockets_join(std::vector<std::string> rooms,
                                      std::function<void()> done) const {
  if (done)
    ask<bool>(
        ns_, [done](bool) { done(); }, caf::join_atom::value, query(), std::move(rooms));
  else
    caf::anon_send(ns_, caf::join_atom::value, query(), std::move(rooms));
}

void broadcast_operator::sockets_leave(std::vector<std::string> rooms,
                                       std::function<void()> done) const {
  if (done)
    ask<bool>(
        ns_, [done](bool) { done(); }, caf::leave_atom::value, query(), std::move(rooms));
  else
    caf::anon_send(ns_, caf::leave_atom::value, query(), std::move(rooms));
}

void broadcast_operator::disconnect_sockets(bool close, std::function<void()> done) const {
  if (done)
    ask<bool>(
        ns_, [done](bool) { done(); }, disconnect_atom::value, query(), close);
  else
    caf::anon_send(ns_, disconnect_atom::value, query(), close);
}

}  // namespace cafio
