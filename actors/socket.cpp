// The Socket facade: thin operations on the socket actor's own state.
#include "actors/socket.hpp"

#include <caf/send.hpp>

#include "actors/namespace_handle.hpp"
#include "actors/socket_state.hpp"

namespace cafio {

using detail::socket_state;

const std::string& socket::id() const {
  return st_.id;
}
const std::string& socket::nsp_name() const {
  return st_.nsp;
}

namespace_handle socket::nsp() const {
  return namespace_handle{st_.self->system(), st_.ns, st_.nsp};
}

const std::set<std::string>& socket::rooms() const {
  return st_.rooms;
}
const cafio::handshake& socket::handshake() const {
  return st_.handshake;
}
bool socket::connected() const {
  return st_.state == socket_state::phase::connected;
}
json& socket::data() {
  return st_.data;
}
const std::string& socket::engine_id() const {
  return st_.info->engine_sid;
}
transport::transport_kind socket::transport() const {
  return st_.transport;
}
socket_actor socket::handle() const {
  return socket_actor{st_.self};
}

socket& socket::add_listener(const std::string& event, event_handler handler, bool once) {
  st_.listeners[event].push_back(socket_state::listener{std::move(handler), once});
  return *this;
}

socket& socket::off(const std::string& event) {
  st_.listeners.erase(event);
  return *this;
}

socket& socket::remove_all_listeners() {
  st_.listeners.clear();
  return *this;
}

std::vector<std::string> socket::event_names() const {
  std::vector<std::string> names;
  for (auto& entry : st_.listeners) names.push_back(entry.first);
  return names;
}

std::size_t socket::listener_count(const std::string& event) const {
  auto i = st_.listeners.find(event);
  return i == st_.listeners.end() ? 0 : i->second.size();
}

socket& socket::on_any(any_handler handler) {
  st_.any_listeners.push_back(std::move(handler));
  return *this;
}

socket& socket::use(packet_middleware middleware) {
  st_.middlewares.push_back(std::move(middleware));
  return *this;
}

emit_status socket::emit(const std::string& event, args arguments) {
  return emit_with_ack(event, std::move(arguments), nullptr);
}

emit_status socket::emit_with_ack(const std::string& event, args arguments, ack_callback callback) {
  auto is_volatile = st_.next_volatile;
  auto compress = st_.next_compress;
  auto timeout = st_.next_timeout;
  st_.next_volatile = false;
  st_.next_compress = true;
  st_.next_timeout.reset();
  auto packet = make_event_packet(st_.nsp, event, std::move(arguments));
  if (!packet) return emit_status{packet.error().message};
  if (st_.state != socket_state::phase::connected)
    return emit_status{};  // as socket.io: silently not written
  if (callback) {
    auto id = st_.next_ack_id++;
    packet->id = id;
    socket_state::pending_ack pending{std::move(callback), 0};
    if (timeout) {
      pending.timer = st_.next_timer_id++;
      st_.timers.emplace(pending.timer, [&st = st_, id] {
        auto i = st.acks.find(id);
        if (i == st.acks.end()) return;
        auto cb = std::move(i->second.callback);
        st.acks.erase(i);
        cb(ack_response{std::string("operation has timed out"), {}});
      });
      st_.self->delayed_send(st_.self, *timeout, timer_atom::value, pending.timer);
    }
    st_.acks.emplace(id, std::move(pending));
  }
  detail::send_outgoing(st_, make_outgoing(*packet, is_volatile, compress));
  return emit_status{};
}

socket& socket::volatile_() {
  st_.next_volatile = true;
  return *this;
}

socket& socket::compress(bool value) {
  st_.next_compress = value;
  return *this;
}

socket& socket::binary(bool) {
  return *this;
}

socket& socket::timeout(std::chrono::milliseconds value) {
  st_.next_timeout = value;
  return *this;
}

void socket::join(const std::string& room, std::function<void()> done) {
  join(std::vector<std::string>{room}, std::move(done));
}

void socket::join(const std::vector<std::string>& rooms, std::function<void()> done) {
  auto self = st_.self;
  auto remaining = std::make_shared<std::size_t>(0);
  for (auto& room : rooms) {
    if (st_.state != socket_state::phase::connected || !st_.rooms.insert(room).second)
      continue;  // joining twice is a no-op
    ++*remaining;
    self->request(st_.ns, caf::infinite, caf::join_atom::value, room, st_.id, socket_actor{self})
        .then([self, remaining, done](bool) {
          if (--*remaining == 0 && done) {
            detail::current_socket_scope scope{&self->state};
            done();
          }
        });
  }
  if (*remaining == 0 && done) done();
}

void socket::leave(const std::string& room, std::function<void()> done) {
  auto self = st_.self;
  if (st_.rooms.erase(room) == 0) {
    if (done) done();
    return;
  }
  self->request(st_.ns, caf::infinite, caf::leave_atom::value, room, st_.id)
      .then([self, done](bool) {
        if (done) {
          detail::current_socket_scope scope{&self->state};
          done();
        }
      });
}

broadcast_operator socket::to(std::string room) const {
  return broadcast_operator{st_.ns, st_.nsp, st_.id}.to(std::move(room));
}

broadcast_operator socket::except(std::string room) const {
  return broadcast_operator{st_.ns, st_.nsp, st_.id}.except(std::move(room));
}

broadcast_operator socket::broadcast() const {
  return broadcast_operator{st_.ns, st_.nsp, st_.id};
}

void socket::disconnect(bool close) {
  detail::server_disconnect(st_, close);
}

void socket::close_transport() {
  st_.self->send(st_.session, caf::close_atom::value);
}

void socket::after(std::chrono::milliseconds delay, std::function<void()> fn) {
  auto id = st_.next_timer_id++;
  st_.timers.emplace(id, std::move(fn));
  st_.self->delayed_send(st_.self, delay, timer_atom::value, id);
}

}  // namespace cafio
