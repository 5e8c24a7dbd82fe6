// cafio-bench: a load generator for Socket.IO servers that run the bench app
// (../shared/bench-app.md), cafio-node --app bench or the Node reference
// (tools/reference/bench-app.mjs). One process, raw Engine.IO v4 / Socket.IO
// v5 over WebSocket; every scenario has a bounded duration and stops by
// itself. `cafio-bench compare` puts results of several servers side by side.
#include <signal.h>
#include <sys/resource.h>
#include <sys/utsname.h>

#include <ctime>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "bench_clock.hpp"
#include "bench_options.hpp"
#include "process_stats.hpp"
#include "report.hpp"
#include "scenarios.hpp"

namespace {

using namespace cafio::bench;

std::string utc_now() {
  char buf[32];
  auto t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

/// As many descriptors as the hard limit allows: one per connection.
void raise_fd_limit() {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
  }
}

int run_compare(int argc, char** argv) {
  std::string error;
  auto opts = parse_compare_options(argc, argv, error);
  if (!opts) {
    std::cerr << "cafio-bench: " << error << "\n" << usage();
    return 2;
  }
  std::vector<json> results;
  for (auto& file : opts->files) {
    std::ifstream in(file);
    auto j = json::parse(in, nullptr, false);
    if (j.is_discarded()) {
      std::cerr << "cafio-bench: " << file << " is not JSON\n";
      return 2;
    }
    if (j.is_array())
      for (auto& r : j) results.push_back(r);
    else
      results.push_back(j);
  }
  print_comparison(std::cout, results, opts->baseline, false);
  if (!opts->markdown_path.empty()) {
    std::ofstream md(opts->markdown_path);
    print_comparison(md, results, opts->baseline, true);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  clock_origin();
  if (argc >= 2 && std::string(argv[1]) == "compare") return run_compare(argc, argv);
  if (argc >= 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::cout << usage();
    return 0;
  }
  std::string error;
  auto parsed = parse_bench_options(argc, argv, error);
  if (!parsed) {
    std::cerr << "cafio-bench: " << error << "\n" << usage();
    return 2;
  }
  auto o = *parsed;
  raise_fd_limit();

  json result;
  result["tool"] = "cafio-bench";
  result["scenario"] = o.scenario;
  result["label"] = o.label.empty() ? "server" : o.label;
  result["date"] = utc_now();
  std::string command;
  for (int i = 0; i < argc; ++i) command += (i ? " " : "") + std::string(argv[i]);
  result["command"] = command;
  utsname u{};
  uname(&u);
  result["machine"] = {{"nproc", cpu_count()},
                       {"cpu_model", cpu_model()},
                       {"kernel", std::string(u.sysname) + " " + u.release}};
  result["server"] = {{"host", o.host}, {"port", o.port}, {"pid", o.server_pid}};

  json outcome;
  if (o.scenario == "connect" || o.scenario == "hold")
    outcome = run_connect(o);
  else if (o.scenario == "echo")
    outcome = run_echo(o);
  else
    outcome = run_broadcast(o);
  for (auto& [k, v] : outcome.items()) result[k] = v;

  if (o.json_path == "-") {
    std::cout << result.dump(2) << std::endl;
  } else {
    if (!o.json_path.empty()) {
      std::ofstream out(o.json_path);
      out << result.dump(2) << "\n";
    }
    if (!o.quiet) print_result(std::cout, result);
  }
  if (result.contains("error")) return 3;
  return result.value("/checks/ok"_json_pointer, false) ? 0 : 1;
}
