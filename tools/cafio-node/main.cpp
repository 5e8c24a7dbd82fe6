// cafio-node: the standalone node. Runs one app until SIGTERM or SIGINT, then
// closes every connection and exits 0.
#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "actors/cafio.hpp"
#include "apps.hpp"
#include "node_options.hpp"
#include "transport/engineio_server.hpp"

namespace {

using cafio::node::node_options;

void apply_common(const node_options& o, cafio::transport::engineio_options& e) {
  if (o.path) e.path = *o.path;
  if (o.ping_interval) e.ping_interval = *o.ping_interval;
  if (o.ping_timeout) e.ping_timeout = *o.ping_timeout;
  if (o.max_payload) e.max_payload = *o.max_payload;
  if (o.cors_origin) {
    e.cors.enabled = true;
    e.cors.origin = *o.cors_origin == "reflect" ? "" : *o.cors_origin;
  }
}

/// Waits for SIGINT or SIGTERM (blocked in every thread, see main).
int wait_for_signal(const sigset_t& signals) {
  int sig = 0;
  sigwait(&signals, &sig);
  return sig;
}

}  // namespace

int main(int argc, char** argv) {
  std::string error;
  auto parsed = cafio::node::parse_options(argc, argv, error);
  if (!parsed) {
    std::cerr << "cafio-node: " << error << "\n" << cafio::node::usage();
    return 2;
  }
  auto opts = *parsed;
  if (opts.help) {
    std::cout << cafio::node::usage();
    return 0;
  }

  // Block the stop signals before any thread starts, so that every thread
  // inherits the mask and only sigwait() below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto cores = std::max(1u, std::thread::hardware_concurrency());
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", opts.scheduler_threads ? opts.scheduler_threads : cores);
  caf::actor_system sys{cfg};

  int status = 0;
  if (opts.app == "eio-echo") {
    cafio::transport::engineio_options e;
    e.path = "/engine.io/";
    e.ping_interval = std::chrono::milliseconds(300);
    e.ping_timeout = std::chrono::milliseconds(200);
    e.cors.enabled = true;
    apply_common(opts, e);
    cafio::transport::engineio_server engine{sys, e, cafio::node::eio_echo_factory()};
    auto port = engine.listen(opts.host, opts.port, error, opts.io_threads);
    if (port == 0) {
      std::cerr << "cafio-node: " << error << "\n";
      return 1;
    }
    std::cout << "cafio-node: eio-echo app on http://" << opts.host << ":" << port
              << engine.options().path << std::endl;
    wait_for_signal(signals);
    engine.stop();
  } else {
    cafio::server_options so;
    if (opts.app == "conformance")
      so = cafio::node::conformance_options();
    else if (opts.app == "bench")
      so = cafio::node::bench_options();
    else
      so.engine.cors.enabled = false;
    apply_common(opts, so.engine);
    if (opts.connect_timeout) so.connect_timeout = *opts.connect_timeout;
    so.io_threads = opts.io_threads;
    cafio::server io{sys, so};
    if (opts.app == "conformance")
      cafio::node::install_conformance_app(io);
    else if (opts.app == "bench")
      cafio::node::install_bench_app(io);
    else
      cafio::node::install_demo_app(io);
    auto port = io.listen(opts.host, opts.port, error);
    if (port == 0) {
      std::cerr << "cafio-node: " << error << "\n";
      status = 1;
    } else {
      std::cout << "cafio-node: " << opts.app << " app on http://" << opts.host << ":" << port
                << io.options().engine.path << std::endl;
      wait_for_signal(signals);
    }
    io.close();
  }
  return status;
}
