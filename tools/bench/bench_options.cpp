#include "bench_options.hpp"

#include <charconv>
#include <cstdlib>

namespace cafio::bench {

namespace {

template <class T>
bool parse_number(const std::string& text, T& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && ptr == text.data() + text.size();
}

bool parse_seconds(const std::string& text, double& out) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size() && out >= 0 && out < 86400;
}

const char* scenarios[] = {"connect", "fanout", "echo", "rooms", "slowconsumer", "hold"};

}  // namespace

std::string usage() {
  return "usage: cafio-bench SCENARIO [options]      run one scenario against a server\n"
         "       cafio-bench compare FILE.json...    compare results (baseline: --baseline)\n"
         "\n"
         "scenarios (raw Engine.IO v4 / Socket.IO v5 over WebSocket, bench-app.md handlers):\n"
         "  connect       --clients N connections, --concurrency C at a time; conn/s, server\n"
         "                RSS per connection after --hold s\n"
         "  fanout        one sender, --clients receivers in one room (io-to); deliveries/s,\n"
         "                latency; loss, duplicates and order checked for every receiver\n"
         "  echo          --clients clients, --window acked emits each (message-with-ack);\n"
         "                acks/s, round trip\n"
         "  rooms         --clients clients over --rooms rooms, --senders of them emit to\n"
         "                random rooms (io-to); deliveries/s, latency, checks\n"
         "  slowconsumer  fanout plus one client that stops reading; server RSS over time,\n"
         "                the others' rate and latency, what happens to the slow one\n"
         "  hold          like connect, for many idle connections from --sources\n"
         "\n"
         "options:\n"
         "  --host ADDR          server address (default 127.0.0.1)\n"
         "  --port N             server port (default 3000)\n"
         "  --path PATH          Socket.IO path (default /socket.io/)\n"
         "  --server-pid PID     read the server's RSS and CPU time from /proc/PID\n"
         "  --label NAME         the server's name in the output (e.g. cafio, node)\n"
         "  --clients N          connections / receivers / clients (scenario default)\n"
         "  --concurrency C      connects in flight (default 100)\n"
         "  --duration S         measured seconds (default 10)\n"
         "  --warmup S           seconds of traffic before measuring (default 1)\n"
         "  --hold S             connect/hold: idle seconds before reading RSS (default 3)\n"
         "  --payload BYTES      payload object size (default 100; slowconsumer 4096)\n"
         "  --window W           in flight: fanout messages (16), echo emits per client (16),\n"
         "                       rooms messages per sender (32)\n"
         "  --rooms R            rooms (default 100)\n"
         "  --senders M          rooms: senders (default 10)\n"
         "  --sources A-B        source addresses 127.0.0.A..127.0.0.B (default 1-1)\n"
         "  --threads T          load generator threads (default 1)\n"
         "  --sample-ms MS       slowconsumer: server sampling period (default 250)\n"
         "  --json FILE          also write the result as JSON ('-': stdout, no table)\n"
         "  --quiet              no table\n"
         "  --fault KIND         self-test: drop | duplicate | reorder one delivery\n"
         "compare options:\n"
         "  --baseline LABEL     the reference label (default node)\n"
         "  --markdown FILE      also write the comparison as a Markdown table\n"
         "\n"
         "Exit status: 0 when every consistency check passed, 1 when one failed, 2 on\n"
         "usage errors, 3 when the server could not be reached.\n";
}

std::optional<bench_options> parse_bench_options(int argc, char** argv, std::string& error) {
  bench_options o;
  if (argc < 2) {
    error = "no scenario";
    return std::nullopt;
  }
  o.scenario = argv[1];
  bool known = false;
  for (auto s : scenarios) known |= o.scenario == s;
  if (!known) {
    error = "unknown scenario '" + o.scenario + "'";
    return std::nullopt;
  }
  if (o.scenario == "hold") {
    o.concurrency = 500;
    o.hold = 5;
  }
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    auto need = [&]() {
      if (i + 1 >= argc) {
        error = "option " + arg + " needs a value";
        return false;
      }
      value = argv[++i];
      return true;
    };
    auto count = [&](std::size_t& out, std::size_t min = 1) {
      if (!need()) return false;
      if (!parse_number(value, out) || out < min) {
        error =
            "option " + arg + " needs a number >= " + std::to_string(min) + ", not '" + value + "'";
        return false;
      }
      return true;
    };
    auto seconds = [&](double& out) {
      if (!need()) return false;
      if (!parse_seconds(value, out)) {
        error = "option " + arg + " needs seconds, not '" + value + "'";
        return false;
      }
      return true;
    };
    bool ok = true;
    if (arg == "--host") {
      ok = need();
      o.host = value;
    } else if (arg == "--port") {
      unsigned p = 0;
      ok = need() && parse_number(value, p) && p > 0 && p < 65536;
      if (!ok && error.empty()) error = "option --port needs a port number";
      o.port = static_cast<std::uint16_t>(p);
    } else if (arg == "--path") {
      ok = need();
      o.path = value;
    } else if (arg == "--server-pid") {
      ok = need() && parse_number(value, o.server_pid) && o.server_pid > 0;
      if (!ok && error.empty()) error = "option --server-pid needs a pid";
    } else if (arg == "--label") {
      ok = need();
      o.label = value;
    } else if (arg == "--clients") {
      ok = count(o.clients);
    } else if (arg == "--concurrency") {
      ok = count(o.concurrency);
    } else if (arg == "--duration") {
      ok = seconds(o.duration);
    } else if (arg == "--warmup") {
      ok = seconds(o.warmup);
    } else if (arg == "--hold") {
      ok = seconds(o.hold);
    } else if (arg == "--payload") {
      ok = count(o.payload, 16);
    } else if (arg == "--window") {
      ok = count(o.window);
    } else if (arg == "--rooms") {
      ok = count(o.rooms);
    } else if (arg == "--senders") {
      ok = count(o.senders);
    } else if (arg == "--threads") {
      ok = count(o.threads);
    } else if (arg == "--sample-ms") {
      std::size_t ms = 0;
      ok = count(ms, 10);
      o.sample_ms = static_cast<std::int64_t>(ms);
    } else if (arg == "--sources") {
      ok = need();
      auto dash = value.find('-');
      unsigned a = 0, b = 0;
      ok = ok && dash != std::string::npos && parse_number(value.substr(0, dash), a) &&
           parse_number(value.substr(dash + 1), b) && a >= 1 && a <= b && b <= 254;
      if (!ok && error.empty()) error = "option --sources needs A-B with 1 <= A <= B <= 254";
      o.source_first = a;
      o.source_last = b;
    } else if (arg == "--json") {
      ok = need();
      o.json_path = value;
    } else if (arg == "--quiet") {
      o.quiet = true;
    } else if (arg == "--fault") {
      ok = need();
      if (value == "drop")
        o.inject = fault::drop;
      else if (value == "duplicate")
        o.inject = fault::duplicate;
      else if (value == "reorder")
        o.inject = fault::reorder;
      else if (ok) {
        ok = false;
        error = "option --fault needs drop, duplicate or reorder";
      }
    } else {
      ok = false;
      error = "unknown option '" + arg + "'";
    }
    if (!ok) return std::nullopt;
  }
  if (o.threads > 64) {
    error = "at most 64 --threads";
    return std::nullopt;
  }
  return o;
}

std::optional<compare_options> parse_compare_options(int argc, char** argv, std::string& error) {
  compare_options o;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--baseline" || arg == "--markdown") {
      if (i + 1 >= argc) {
        error = "option " + arg + " needs a value";
        return std::nullopt;
      }
      (arg == "--baseline" ? o.baseline : o.markdown_path) = argv[++i];
    } else if (arg.rfind("--", 0) == 0) {
      error = "unknown option '" + arg + "'";
      return std::nullopt;
    } else {
      o.files.push_back(arg);
    }
  }
  if (o.files.empty()) {
    error = "compare needs result files";
    return std::nullopt;
  }
  return o;
}

}  // namespace cafio::bench
