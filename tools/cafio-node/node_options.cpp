#include "node_options.hpp"

#include <charconv>
#include <cstring>
#include <limits>

namespace cafio::node {

namespace {

template <class T>
bool parse_number(const std::string& text, T& out) {
  auto first = text.data();
  auto last = first + text.size();
  auto [ptr, ec] = std::from_chars(first, last, out);
  return ec == std::errc{} && ptr == last;
}

}  // namespace

std::string usage() {
  return "usage: cafio-node [options]\n"
         "  --app NAME             demo (default), conformance, eio-echo, bench\n"
         "  --host ADDR            listen address (default 127.0.0.1)\n"
         "  --port N               listen port (default 3000)\n"
         "  --path PATH            Socket.IO path (default /socket.io/)\n"
         "  --ping-interval MS     Engine.IO pingInterval (default 25000)\n"
         "  --ping-timeout MS      Engine.IO pingTimeout (default 20000)\n"
         "  --max-payload BYTES    maxHttpBufferSize / maxPayload (default 1000000)\n"
         "  --connect-timeout MS   time to connect a namespace (default 45000)\n"
         "  --cors-origin ORIGIN   Access-Control-Allow-Origin (\"*\", an origin, or \"reflect\")\n"
         "  --io-threads N         Beast I/O threads (default: one per core)\n"
         "  --scheduler-threads N  CAF scheduler threads (default: one per core)\n"
         "  --help                 this text\n";
}

std::optional<node_options> parse_options(int argc, char** argv, std::string& error) {
  node_options opts;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    auto eq = arg.find('=');
    bool inline_value = arg.rfind("--", 0) == 0 && eq != std::string::npos;
    if (inline_value) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
    }
    auto need_value = [&]() -> bool {
      if (inline_value) return true;
      if (i + 1 >= argc) {
        error = "option " + arg + " needs a value";
        return false;
      }
      value = argv[++i];
      return true;
    };
    auto ms = [&](std::optional<std::chrono::milliseconds>& out) {
      if (!need_value()) return false;
      long long n = 0;
      if (!parse_number(value, n) || n <= 0) {
        error = "option " + arg + " needs a positive number of milliseconds, not '" + value + "'";
        return false;
      }
      out = std::chrono::milliseconds(n);
      return true;
    };
    if (arg == "--help" || arg == "-h") {
      opts.help = true;
    } else if (arg == "--app") {
      if (!need_value()) return std::nullopt;
      if (value != "demo" && value != "conformance" && value != "eio-echo" && value != "bench") {
        error = "unknown app '" + value + "' (demo, conformance, eio-echo, bench)";
        return std::nullopt;
      }
      opts.app = value;
    } else if (arg == "--host") {
      if (!need_value()) return std::nullopt;
      opts.host = value;
    } else if (arg == "--port") {
      if (!need_value()) return std::nullopt;
      unsigned n = 0;
      if (!parse_number(value, n) || n > 65535) {
        error = "option --port needs a port number (0-65535), not '" + value + "'";
        return std::nullopt;
      }
      opts.port = static_cast<std::uint16_t>(n);
    } else if (arg == "--path") {
      if (!need_value()) return std::nullopt;
      opts.path = value;
    } else if (arg == "--ping-interval") {
      if (!ms(opts.ping_interval)) return std::nullopt;
    } else if (arg == "--ping-timeout") {
      if (!ms(opts.ping_timeout)) return std::nullopt;
    } else if (arg == "--connect-timeout") {
      if (!ms(opts.connect_timeout)) return std::nullopt;
    } else if (arg == "--max-payload") {
      if (!need_value()) return std::nullopt;
      std::size_t n = 0;
      if (!parse_number(value, n) || n == 0) {
        error = "option --max-payload needs a positive number of bytes, not '" + value + "'";
        return std::nullopt;
      }
      opts.max_payload = n;
    } else if (arg == "--cors-origin") {
      if (!need_value()) return std::nullopt;
      opts.cors_origin = value;
    } else if (arg == "--io-threads" || arg == "--scheduler-threads") {
      if (!need_value()) return std::nullopt;
      std::size_t n = 0;
      if (!parse_number(value, n) || n == 0 || n > 256) {
        error = "option " + arg + " needs a thread count (1-256), not '" + value + "'";
        return std::nullopt;
      }
      (arg == "--io-threads" ? opts.io_threads : opts.scheduler_threads) = n;
    } else {
      error = "unknown option '" + arg + "'";
      return std::nullopt;
    }
  }
  return opts;
}

}  // namespace cafio::node
