#include "actors/messages.hpp"

#include <atomic>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "actors/interfaces.hpp"
#include "actors/socket.hpp"

namespace cafio {

std::uint64_t next_broadcast_id() {
  static std::atomic<std::uint64_t> counter{1};
  return counter.fetch_add(1, std::memory_order_relaxed);
}

namespace {

socket_actor handle_of(const socket_info& info) {
  return caf::actor_cast<socket_actor>(info.socket);
}

}  // namespace

void socket_info::emit(const std::string& event, args arguments) const {
  if (auto s = handle_of(*this)) caf::anon_send(s, emit_atom::value, event, std::move(arguments));
}

void socket_info::join(std::vector<std::string> rooms) const {
  if (auto s = handle_of(*this)) caf::anon_send(s, caf::join_atom::value, std::move(rooms));
}

void socket_info::leave(std::vector<std::string> rooms) const {
  if (auto s = handle_of(*this)) caf::anon_send(s, caf::leave_atom::value, std::move(rooms));
}

void socket_info::disconnect(bool close) const {
  if (auto s = handle_of(*this))
    caf::anon_send(s, run_atom::value,
                   socket_task{[close](cafio::socket& x) { x.disconnect(close); }});
}

}  // namespace cafio
