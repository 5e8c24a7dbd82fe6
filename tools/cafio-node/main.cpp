// cafio-node: the standalone node. Runs one app until SIGTERM or SIGINT, then
// disconnects every socket, closes every connection and exits 0.
#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "actors/cafio.hpp"
#include "apps.hpp"
#include "client_bundle.hpp"
#include "demo_site.hpp"
#include "node_config.hpp"
#include "transport/engineio_server.hpp"

extern char** environ;

namespace {

int wait_for_signal(const sigset_t& signals) {
  int sig = 0;
  sigwait(&signals, &sig);
  return sig;
}

}  // namespace

int main(int argc, char** argv) {
  std::string error;
  auto read = cafio::node::read_config(argc, argv, environ, error);
  if (!read) {
    std::cerr << "cafio-node: " << error << "\n";
    return 2;
  }
  auto config = *read;
  if (config.help) {
    std::cout << cafio::node::usage();
    return 0;
  }
  cafio::node::apply_app_defaults(config);
  auto options = cafio::node::to_server_options(config);

  std::optional<cafio::node::client_bundle> bundle;
  if (config.serve_client && config.app != "eio-echo") {
    auto dir =
        config.client_dir.empty() ? std::string(CAFIO_DEFAULT_CLIENT_DIR) : config.client_dir;
    bundle =
        cafio::node::client_bundle::load(dir, cafio::transport::normalize_path(config.path), error);
    if (!bundle && config.is_explicit("client-dir")) {
      std::cerr << "cafio-node: " << error << "\n";
      return 2;
    }
    if (!bundle) std::cerr << "cafio-node: not serving the client bundle: " << error << "\n";
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
  cfg.set("scheduler.max-threads", config.scheduler_threads ? config.scheduler_threads : cores);
  caf::actor_system sys{cfg};

  auto stats = options.engine.stats;
  auto reasons = cafio::disconnect_reason_names();
  // The demo app's page at "/" and "/demo/..."; other paths outside the
  // Engine.IO path get the engine's 404.
  std::optional<cafio::node::demo_site> site;
  if (config.app == "demo") site.emplace(cafio::transport::normalize_path(config.path));
  auto http = [&bundle, &site, stats, reasons,
               metrics_path = config.metrics_path](const cafio::transport::http_request& req)
      -> std::optional<cafio::transport::http_answer> {
    if (stats && req.path == metrics_path && req.method == "GET") {
      cafio::transport::http_answer a;
      a.content_type = "text/plain; version=0.0.4; charset=utf-8";
      a.body = stats->render(reasons);
      return a;
    }
    if (bundle) {
      if (auto answer = bundle->serve(req)) return answer;
    }
    if (site) return site->serve(req);
    return std::nullopt;
  };
  if (config.app == "eio-echo") {
    cafio::transport::engineio_server engine{sys, options.engine, cafio::node::eio_echo_factory()};
    engine.set_http_handler(http);
    auto port = engine.listen(config.host, config.port, error, config.io_threads);
    if (port == 0) {
      std::cerr << "cafio-node: " << error << "\n";
      return 1;
    }
    std::cout << "cafio-node: eio-echo app on "
              << (config.tls_cert.empty() ? "http://" : "https://") << config.host << ":" << port
              << engine.options().path << std::endl;
    wait_for_signal(signals);
    engine.stop();
    return 0;
  }

  int status = 0;
  cafio::server io{sys, options};
  io.engine().set_http_handler(http);
  if (config.app == "conformance")
    cafio::node::install_conformance_app(io);
  else if (config.app == "bench")
    cafio::node::install_bench_app(io);
  else
    cafio::node::install_demo_app(io);
  auto port = io.listen(config.host, config.port, error);
  if (port == 0) {
    std::cerr << "cafio-node: " << error << "\n";
    status = 1;
  } else {
    std::cout << "cafio-node: " << config.app << " app on "
              << (config.tls_cert.empty() ? "http://" : "https://") << config.host << ":" << port
              << io.options().engine.path << std::endl;
    if (site) {
      // A wildcard address is not one a browser can open.
      auto host = config.host == "0.0.0.0"                     ? std::string("127.0.0.1")
                  : config.host == "::"                        ? std::string("[::1]")
                  : config.host.find(':') != std::string::npos ? "[" + config.host + "]"
                                                               : config.host;
      std::cout << "cafio-node: open http://" << host << ":" << port << "/ for the chat demo"
                << std::endl;
    }
    wait_for_signal(signals);
  }
  io.close();
  return status;
}
