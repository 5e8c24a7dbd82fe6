// The Socket facade: thin operations on the socket actor's own state.
#include "actors/socket.hpp"

#include <algorithm>

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
  if (!st_.handshake) {
    st_.handshake =
        std::make_unique<cafio::handshake>(make_handshake(*st_.info->request, st_.auth));
    st_.handshake->issued = st_.created_ms;
    st_.handshake->time = js_date_string(st_.created_ms);
  }
  return *st_.handshake;
}
const transport::handshake_request& socket::request() const {
  return *st_.info->request;
}
connection socket::conn() {
  return connection{st_};
}
bool socket::connected() const {
  return st_.state == socket_state::phase::connected;
}
json& socket::data() {
  if (st_.data.is_null()) st_.data = json::object();  // made on first use
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

socket::listener_id socket::add_listener_impl(const std::string& event, event_handler handler,
                                              bool once) {
  auto id = st_.next_listener_id++;
  st_.listeners.push_back(socket_state::listener{event, id, std::move(handler), once});
  return id;
}

socket& socket::remove_listener(const std::string& event, listener_id id) {
  auto& list = st_.listeners;
  list.erase(std::remove_if(list.begin(), list.end(),
                            [&](auto& l) { return l.id == id && l.event == event; }),
             list.end());
  return *this;
}

socket& socket::off(const std::string& event) {
  auto& list = st_.listeners;
  list.erase(std::remove_if(list.begin(), list.end(), [&](auto& l) { return l.event == event; }),
             list.end());
  return *this;
}

socket& socket::remove_all_listeners() {
  st_.listeners.clear();
  return *this;
}

std::vector<std::string> socket::event_names() const {
  std::vector<std::string> names;
  for (auto& l : st_.listeners) names.push_back(l.event);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::vector<socket::listener_id> socket::listeners(const std::string& event) const {
  std::vector<listener_id> ids;
  for (auto& l : st_.listeners)
    if (l.event == event) ids.push_back(l.id);
  return ids;
}

std::size_t socket::listener_count(const std::string& event) const {
  return static_cast<std::size_t>(std::count_if(st_.listeners.begin(), st_.listeners.end(),
                                                [&](auto& l) { return l.event == event; }));
}

namespace {

socket::listener_id add_any(std::vector<socket_state::any_listener>& list, socket::listener_id id,
                            any_handler handler, bool prepend) {
  socket_state::any_listener entry{id, std::move(handler)};
  if (prepend)
    list.insert(list.begin(), std::move(entry));
  else
    list.push_back(std::move(entry));
  return id;
}

void remove_any(std::vector<socket_state::any_listener>& list, socket::listener_id id) {
  list.erase(std::remove_if(list.begin(), list.end(), [id](auto& l) { return l.id == id; }),
             list.end());
}

std::vector<socket::listener_id> ids_of(const std::vector<socket_state::any_listener>& list) {
  std::vector<socket::listener_id> ids;
  for (auto& l : list) ids.push_back(l.id);
  return ids;
}

}  // namespace

socket::listener_id socket::add_any_listener(any_handler handler, bool prepend) {
  return add_any(st_.more().any_listeners, st_.next_listener_id++, std::move(handler), prepend);
}

socket& socket::off_any() {
  if (st_.extra) st_.extra->any_listeners.clear();
  return *this;
}

socket& socket::off_any(listener_id id) {
  if (st_.extra) remove_any(st_.extra->any_listeners, id);
  return *this;
}

std::vector<socket::listener_id> socket::listeners_any() const {
  return ids_of(st_.some().any_listeners);
}

namespace {

/// Rooms send a socket its broadcasts only while it has outgoing listeners.
void update_notify(socket_state& st, bool before) {
  bool now = !st.some().any_outgoing_listeners.empty();
  if (now != before) caf::anon_send(st.ns, caf::update_atom::value, st.id, now);
}

}  // namespace

socket::listener_id socket::add_any_outgoing_listener(any_handler handler, bool prepend) {
  bool before = !st_.some().any_outgoing_listeners.empty();
  auto id = add_any(st_.more().any_outgoing_listeners, st_.next_listener_id++, std::move(handler),
                    prepend);
  update_notify(st_, before);
  return id;
}

socket& socket::off_any_outgoing() {
  bool before = !st_.some().any_outgoing_listeners.empty();
  if (st_.extra) st_.extra->any_outgoing_listeners.clear();
  update_notify(st_, before);
  return *this;
}

socket& socket::off_any_outgoing(listener_id id) {
  bool before = !st_.some().any_outgoing_listeners.empty();
  if (st_.extra) remove_any(st_.extra->any_outgoing_listeners, id);
  update_notify(st_, before);
  return *this;
}

std::vector<socket::listener_id> socket::listeners_any_outgoing() const {
  return ids_of(st_.some().any_outgoing_listeners);
}

socket& socket::use(packet_middleware middleware) {
  st_.more().middlewares.push_back(std::move(middleware));
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
      st_.more().timers.emplace(pending.timer, [&st = st_, id] {
        auto& acks = st.more().acks;
        auto i = acks.find(id);
        if (i == acks.end()) return;
        auto cb = std::move(i->second.callback);
        acks.erase(i);
        cb(ack_response{std::string("operation has timed out"), {}});
      });
      st_.self->delayed_send(st_.self, *timeout, timer_atom::value, pending.timer);
    }
    st_.more().acks.emplace(id, std::move(pending));
  }
  auto out = make_outgoing(*packet, is_volatile, compress);
  if (!st_.some().any_outgoing_listeners.empty()) detail::notify_outgoing(st_, *packet->data);
  detail::send_outgoing(st_, std::move(out));
  return emit_status{};
}

ack_promise socket::emit_with_ack(const std::string& event, args arguments) {
  auto slot = std::make_shared<ack_callback>();
  auto status = emit_with_ack(event, std::move(arguments), [slot](ack_response r) {
    if (*slot) (*slot)(std::move(r));
  });
  if (!status) return ack_promise{slot, status.error()};
  return ack_promise{slot};
}

void ack_promise::then(ack_callback f) {
  if (!slot_) return;
  if (error_) {
    f(ack_response{error_, {}});
    return;
  }
  *slot_ = std::move(f);
}

const std::string& connection::id() const {
  return st_.info->engine_sid;
}

transport::transport_kind connection::transport() const {
  return st_.transport;
}

int connection::protocol() const {
  return st_.info->protocol == socketio::protocol_version::v4 ? 3 : 4;
}

void connection::on_upgrade(std::function<void(transport::transport_kind)> handler) {
  st_.more().upgrade_listeners.emplace_back(st_.next_listener_id++, std::move(handler));
}

void connection::close() {
  st_.self->send(st_.session, caf::close_atom::value);
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
    self->request(st_.ns, caf::infinite, caf::join_atom::value, room, st_.id)
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

broadcast_operator socket::to(const std::vector<std::string>& rooms) const {
  return broadcast_operator{st_.ns, st_.nsp, st_.id}.to(rooms);
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

void socket::after(std::chrono::milliseconds delay, std::function<void()> fn) {
  auto id = st_.next_timer_id++;
  st_.more().timers.emplace(id, std::move(fn));
  st_.self->delayed_send(st_.self, delay, timer_atom::value, id);
}

}  // namespace cafio
