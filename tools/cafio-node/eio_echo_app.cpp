// conformance-app.md §5: a plain Engine.IO server echoing every message.
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "apps.hpp"

namespace cafio::node {

namespace {

transport::session_listener::behavior_type echo(transport::session_listener::pointer self,
                                                transport::session_handle session) {
  return {
      [self, session](transport::message_atom, engineio::packet& p) {
        std::vector<engineio::packet> one;
        one.push_back(std::move(p));
        self->send(session, transport::send_atom::value,
                   transport::outgoing{
                       std::make_shared<const std::vector<engineio::packet>>(std::move(one))});
      },
      [self](transport::closed_atom, transport::close_reason) { self->quit(); },
      [](transport::upgraded_atom, transport::transport_kind) {},
  };
}

}  // namespace

transport::listener_factory eio_echo_factory() {
  return [](caf::actor_system& sys, transport::session_handle session,
            const transport::session_info&) -> transport::session_listener {
    return sys.spawn(echo, std::move(session));
  };
}

}  // namespace cafio::node
