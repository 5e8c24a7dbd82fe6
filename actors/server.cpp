#include "actors/server.hpp"

#include <caf/scoped_actor.hpp>

#include "actors/namespace_actor.hpp"
#include "actors/registry_actor.hpp"
#include "transport/engineio_server.hpp"

namespace cafio {

server::server(caf::actor_system& sys, server_options options)
    : sys_(sys), options_(std::move(options)), registry_(spawn_registry(sys)) {
  client_options client_opts{options_.connect_timeout, options_.max_attachments,
                             options_.engine.log, options_.engine.stats};
  engine_ = std::make_unique<transport::engineio_server>(sys, options_.engine,
                                                         client_factory(registry_, client_opts));
  of("/");
}

server::~server() {
  close();
}

namespace_handle server::of(const std::string& name) {
  auto nsp = name.empty() || name.front() != '/' ? "/" + name : name;
  std::lock_guard<std::mutex> guard{namespaces_mutex_};
  if (auto i = namespaces_.find(nsp); i != namespaces_.end()) return i->second;
  auto actor = spawn_namespace(sys_, nsp, options_.engine.stats);
  caf::scoped_actor self{sys_};
  self->request(registry_, caf::infinite, caf::put_atom::value, nsp, actor)
      .receive([](bool) {}, [](caf::error&) {});
  return namespaces_.emplace(nsp, namespace_handle{sys_, actor, nsp}).first->second;
}

namespace_handle server::of(const std::regex& pattern) {
  return of(
      [pattern](const std::string& name, const json&) { return std::regex_match(name, pattern); });
}

namespace_handle server::of(
    std::function<bool(const std::string& name, const json& auth)> accepts) {
  std::lock_guard<std::mutex> guard{namespaces_mutex_};
  // socket.io names parent namespaces "/_<n>"; clients never connect to them.
  auto name = "/_" + std::to_string(parents_++);
  auto parent = spawn_parent_namespace(sys_, name, registry_, options_.engine.stats);
  caf::scoped_actor self{sys_};
  self->request(registry_, caf::infinite, caf::put_atom::value,
                namespace_matcher{std::move(accepts)}, parent)
      .receive([](bool) {}, [](caf::error&) {});
  return namespace_handle{sys_, parent, name};
}

server& server::use(connect_middleware middleware) {
  of("/").use(std::move(middleware));
  return *this;
}

server& server::on_connection(connection_handler handler) {
  of("/").on_connection(std::move(handler));
  return *this;
}

std::uint16_t server::listen(const std::string& host, std::uint16_t port, std::string& error) {
  return engine_->listen(host, port, error, options_.io_threads);
}

void server::close() {
  if (closed_) return;
  closed_ = true;
  {
    // Every socket leaves with "server shutting down" (socket.io's
    // io.close()), then the connections close after flushing.
    caf::scoped_actor self{sys_};
    self->request(registry_, std::chrono::seconds(10), caf::close_atom::value,
                  disconnect_reason::server_shutting_down)
        .receive([](bool) {}, [](caf::error&) {});
  }
  engine_->stop();
  std::lock_guard<std::mutex> guard{namespaces_mutex_};
  namespaces_.clear();
}

}  // namespace cafio
