#include "actors/namespace_handle.hpp"

#include <caf/scoped_actor.hpp>

namespace cafio {

namespace_handle::namespace_handle(caf::actor_system& sys, namespace_actor actor, std::string name)
    : sys_(&sys), actor_(std::move(actor)), name_(std::move(name)) {}

void namespace_handle::update(std::function<void(namespace_config&)> change) {
  // Synchronous, so that a handler registered before listen() (or before a
  // client connects) is sure to be in place.
  caf::scoped_actor self{*sys_};
  self->request(actor_, caf::infinite, config_atom::value,
                namespace_config_update{std::move(change)})
      .receive([](bool) {}, [](caf::error&) {});
}

namespace_handle& namespace_handle::use(connect_middleware middleware) {
  update([mw = std::move(middleware)](namespace_config& c) { c.middlewares.push_back(mw); });
  return *this;
}

namespace_handle& namespace_handle::on_connection(connection_handler handler) {
  update([h = std::move(handler)](namespace_config& c) { c.on_connection.push_back(h); });
  return *this;
}

std::size_t namespace_handle::server_side_emit(const std::string& event, args arguments) const {
  (void)event;
  (void)arguments;
  // No adapter connects this node to others yet: no peer to reach.
  return 0;
}

}  // namespace cafio
