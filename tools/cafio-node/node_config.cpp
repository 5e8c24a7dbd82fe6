#include "node_config.hpp"

#include <charconv>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps.hpp"

namespace cafio::node {

namespace {

using setter = std::function<std::optional<std::string>(node_config&, const std::string&)>;
using getter = std::function<std::string(const node_config&)>;

struct option {
  std::string name;
  std::string value_hint;  // "" for a switch (bool)
  std::string help;
  setter set;
  getter get;
};

template <class T>
bool parse_number(const std::string& text, T& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && ptr == text.data() + text.size();
}

std::optional<std::string> parse_bool(const std::string& text, bool& out) {
  if (text == "true" || text == "1" || text == "yes" || text == "on")
    out = true;
  else if (text == "false" || text == "0" || text == "no" || text == "off")
    out = false;
  else
    return "needs true or false, not '" + text + "'";
  return std::nullopt;
}

option text_option(std::string name, std::string hint, std::string help,
                   std::string node_config::*field, std::vector<std::string> choices = {}) {
  return option{
      std::move(name), std::move(hint), std::move(help),
      [field, choices](node_config& c, const std::string& v) -> std::optional<std::string> {
        if (!choices.empty()) {
          bool ok = false;
          std::string list;
          for (auto& choice : choices) {
            ok = ok || choice == v;
            list += (list.empty() ? "" : ", ") + choice;
          }
          if (!ok) return "needs one of " + list + ", not '" + v + "'";
        }
        c.*field = v;
        return std::nullopt;
      },
      [field](const node_config& c) { return c.*field; }};
}

option ms_option(std::string name, std::string help,
                 std::chrono::milliseconds node_config::*field) {
  return option{std::move(name), "MS", std::move(help),
                [field](node_config& c, const std::string& v) -> std::optional<std::string> {
                  long long n = 0;
                  if (!parse_number(v, n) || n <= 0)
                    return "needs a positive number of milliseconds, not '" + v + "'";
                  c.*field = std::chrono::milliseconds(n);
                  return std::nullopt;
                },
                [field](const node_config& c) { return std::to_string((c.*field).count()); }};
}

option size_option(std::string name, std::string hint, std::string help,
                   std::size_t node_config::*field, std::size_t min, std::size_t max) {
  return option{
      std::move(name), std::move(hint), std::move(help),
      [field, min, max](node_config& c, const std::string& v) -> std::optional<std::string> {
        std::size_t n = 0;
        if (!parse_number(v, n) || n < min || n > max)
          return "needs a number from " + std::to_string(min) + " to " + std::to_string(max) +
                 ", not '" + v + "'";
        c.*field = n;
        return std::nullopt;
      },
      [field](const node_config& c) { return std::to_string(c.*field); }};
}

option bool_option(std::string name, std::string help, bool node_config::*field) {
  return option{std::move(name), "", std::move(help),
                [field](node_config& c, const std::string& v) { return parse_bool(v, c.*field); },
                [field](const node_config& c) { return std::string(c.*field ? "true" : "false"); }};
}

const std::vector<option>& options() {
  static const std::vector<option> all = [] {
    std::vector<option> o;
    o.push_back(text_option("app", "NAME", "the app to run", &node_config::app,
                            {"demo", "conformance", "bench", "eio-echo"}));
    o.push_back(text_option("host", "ADDR", "listen address", &node_config::host));
    o.push_back(option{"port", "N", "listen port (0: any free port)",
                       [](node_config& c, const std::string& v) -> std::optional<std::string> {
                         unsigned n = 0;
                         if (!parse_number(v, n) || n > 65535)
                           return "needs a port number (0-65535), not '" + v + "'";
                         c.port = static_cast<std::uint16_t>(n);
                         return std::nullopt;
                       },
                       [](const node_config& c) { return std::to_string(c.port); }});
    o.push_back(text_option("path", "PATH", "Socket.IO path", &node_config::path));
    o.push_back(ms_option("ping-interval", "Engine.IO pingInterval", &node_config::ping_interval));
    o.push_back(ms_option("ping-timeout", "Engine.IO pingTimeout", &node_config::ping_timeout));
    o.push_back(ms_option("upgrade-timeout", "time an upgrade to WebSocket may take",
                          &node_config::upgrade_timeout));
    o.push_back(ms_option("connect-timeout", "time a connection has to join a namespace",
                          &node_config::connect_timeout));
    o.push_back(size_option("max-payload", "BYTES", "maxHttpBufferSize: largest message or body",
                            &node_config::max_payload, 1, std::size_t{1} << 30));
    o.push_back(size_option("max-attachments", "N", "most binary attachments per packet",
                            &node_config::max_attachments, 0, 1000));
    o.push_back(option{"transports", "LIST", "allowed transports: polling,websocket",
                       [](node_config& c, const std::string& v) -> std::optional<std::string> {
                         std::stringstream in(v);
                         std::string item;
                         bool any = false;
                         while (std::getline(in, item, ',')) {
                           if (item != "polling" && item != "websocket")
                             return "needs polling and/or websocket, not '" + item + "'";
                           any = true;
                         }
                         if (!any) return "needs at least one transport";
                         c.transports = v;
                         return std::nullopt;
                       },
                       [](const node_config& c) { return c.transports; }});
    o.push_back(bool_option("allow-upgrades", "allow polling to upgrade to WebSocket",
                            &node_config::allow_upgrades));
    o.push_back(bool_option("allow-eio3", "accept Engine.IO v3 (socket.io-client 2.x) clients",
                            &node_config::allow_eio3));
    o.push_back(bool_option("per-message-deflate",
                            "WebSocket permessage-deflate when the client offers it",
                            &node_config::per_message_deflate));
    o.push_back(size_option("per-message-deflate-threshold", "BYTES",
                            "smaller WebSocket messages are not compressed",
                            &node_config::per_message_deflate_threshold, 0, std::size_t{1} << 30));
    o.push_back(bool_option("http-compression",
                            "gzip/deflate polling responses for clients that accept it",
                            &node_config::http_compression));
    o.push_back(size_option("http-compression-threshold", "BYTES",
                            "smaller polling responses are not compressed",
                            &node_config::http_compression_threshold, 0, std::size_t{1} << 30));
    o.push_back(text_option("cors-origin", "ORIGIN",
                            "Access-Control-Allow-Origin: \"*\", an origin or \"reflect\" "
                            "(empty: no CORS headers)",
                            &node_config::cors_origin));
    o.push_back(bool_option("cors-credentials", "Access-Control-Allow-Credentials: true",
                            &node_config::cors_credentials));
    o.push_back(text_option("cookie", "NAME", "set a handshake cookie with this name (empty: none)",
                            &node_config::cookie));
    o.push_back(text_option("cookie-path", "PATH", "the cookie's Path", &node_config::cookie_path));
    o.push_back(
        bool_option("cookie-http-only", "the cookie's HttpOnly", &node_config::cookie_http_only));
    o.push_back(text_option("cookie-same-site", "MODE", "the cookie's SameSite",
                            &node_config::cookie_same_site, {"lax", "strict", "none", ""}));
    o.push_back(bool_option("serve-client", "serve /socket.io/socket.io.js (serveClient)",
                            &node_config::serve_client));
    o.push_back(text_option("client-dir", "DIR",
                            "directory of socket.io.js (default: the npm socket.io-client package)",
                            &node_config::client_dir));
    o.push_back(bool_option("metrics", "serve Prometheus metrics", &node_config::metrics));
    o.push_back(text_option("metrics-path", "PATH", "where the metrics are served",
                            &node_config::metrics_path));
    o.push_back(text_option("log-level", "LEVEL",
                            "error, warn, info (connections, disconnects with reasons) or debug",
                            &node_config::log_level, {"error", "warn", "info", "debug"}));
    o.push_back(text_option("tls-cert", "FILE",
                            "PEM certificate (chain): serve HTTPS and WSS only (needs --tls-key)",
                            &node_config::tls_cert));
    o.push_back(
        text_option("tls-key", "FILE", "PEM private key of --tls-cert", &node_config::tls_key));
    o.push_back(size_option("io-threads", "N", "Beast I/O threads (0: one per core)",
                            &node_config::io_threads, 0, 256));
    o.push_back(size_option("scheduler-threads", "N", "CAF scheduler threads (0: one per core)",
                            &node_config::scheduler_threads, 0, 256));
    return o;
  }();
  return all;
}

const option* find_option(const std::string& name) {
  for (auto& o : options())
    if (o.name == name) return &o;
  return nullptr;
}

std::string env_name(const std::string& option_name) {
  std::string out = "CAFIO_";
  for (char c : option_name)
    out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> set_option(node_config& c, const option& o, const std::string& value,
                                      const std::string& where) {
  if (auto problem = o.set(c, value))
    return where == "option" ? "option --" + o.name + " " + *problem
                             : where + " " + o.name + " " + *problem;
  c.explicit_options.insert(o.name);
  return std::nullopt;
}

std::optional<std::string> read_config_file(node_config& c, const std::string& file) {
  std::ifstream in(file);
  if (!in) return "cannot read config file '" + file + "'";
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return "config file '" + file + "' is not a JSON object";
  for (auto& [key, value] : j.items()) {
    auto o = find_option(key);
    if (o == nullptr || key == "config")
      return "config file '" + file + "': unknown option '" + key + "'";
    std::string text;
    if (value.is_string())
      text = value.get<std::string>();
    else if (value.is_boolean() || value.is_number_integer() || value.is_number_unsigned())
      text = value.dump();
    else
      return "config file '" + file + "': option '" + key + "' needs a string, number or boolean";
    if (auto problem = set_option(c, *o, text, "config file '" + file + "':")) return problem;
  }
  return std::nullopt;
}

}  // namespace

std::optional<node_config> read_config(int argc, char** argv, char** environment,
                                       std::string& error) {
  node_config c;
  // The command line first, to find --config and --help; applied last.
  std::vector<std::pair<const option*, std::string>> cli;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      c.help = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0) {
      error = "unexpected argument '" + arg + "'";
      return std::nullopt;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (name == "config") {
      if (!value) {
        if (i + 1 >= argc) {
          error = "option --config needs a file";
          return std::nullopt;
        }
        value = argv[++i];
      }
      c.config_file = *value;
      continue;
    }
    auto o = find_option(name);
    if (o == nullptr) {
      error = "unknown option '--" + name + "' (see --help)";
      return std::nullopt;
    }
    if (!value) {
      if (o->value_hint.empty()) {
        value = "true";  // a switch
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        error = "option --" + name + " needs a value";
        return std::nullopt;
      }
    }
    cli.emplace_back(o, *value);
  }
  if (!c.config_file.empty()) {
    if (auto problem = read_config_file(c, c.config_file)) {
      error = *problem;
      return std::nullopt;
    }
  }
  for (auto& o : options()) {
    auto var = env_name(o.name);
    for (auto env = environment; env != nullptr && *env != nullptr; ++env) {
      auto len = var.size();
      if (std::strncmp(*env, var.c_str(), len) == 0 && (*env)[len] == '=') {
        if (auto problem = set_option(c, o, *env + len + 1, "environment variable " + var + ":")) {
          error = *problem;
          return std::nullopt;
        }
      }
    }
  }
  for (auto& [o, value] : cli) {
    if (auto problem = set_option(c, *o, value, "option")) {
      error = *problem;
      return std::nullopt;
    }
  }
  if (c.tls_cert.empty() != c.tls_key.empty()) {
    error = "options --tls-cert and --tls-key go together";
    return std::nullopt;
  }
  for (auto file : {&c.tls_cert, &c.tls_key}) {
    if (!file->empty() && !std::ifstream(*file)) {
      error = "cannot read TLS file '" + *file + "'";
      return std::nullopt;
    }
  }
  return c;
}

void apply_app_defaults(node_config& c) {
  auto set = [&](const char* name, auto field, auto value) {
    if (!c.is_explicit(name)) c.*field = value;
  };
  using namespace std::chrono_literals;
  if (c.app == "bench") {
    // ../shared/bench-app.md: the default timings, CORS "*".
    set("cors-origin", &node_config::cors_origin, std::string("*"));
  }
  if (c.app == "conformance" || c.app == "eio-echo") {
    // ../shared/conformance-app.md §1 and §5.
    set("ping-interval", &node_config::ping_interval, 300ms);
    set("ping-timeout", &node_config::ping_timeout, 200ms);
    set("max-payload", &node_config::max_payload, std::size_t{1000000});
    set("cors-origin", &node_config::cors_origin, std::string("*"));
    if (c.app == "conformance") {
      set("connect-timeout", &node_config::connect_timeout, 1000ms);
      set("allow-eio3", &node_config::allow_eio3, true);
    } else {
      set("path", &node_config::path, std::string("/engine.io/"));
      set("allow-eio3", &node_config::allow_eio3, false);
    }
  }
}

server_options to_server_options(const node_config& c) {
  server_options so;
  auto& e = so.engine;
  e.path = c.path;
  e.ping_interval = c.ping_interval;
  e.ping_timeout = c.ping_timeout;
  e.upgrade_timeout = c.upgrade_timeout;
  e.max_payload = c.max_payload;
  e.allow_polling = c.transports.find("polling") != std::string::npos;
  e.allow_websocket = c.transports.find("websocket") != std::string::npos;
  e.allow_upgrades = c.allow_upgrades;
  e.allow_eio3 = c.allow_eio3;
  e.per_message_deflate = {c.per_message_deflate, c.per_message_deflate_threshold};
  e.http_compression = {c.http_compression, c.http_compression_threshold};
  if (!c.cors_origin.empty()) {
    e.cors.enabled = true;
    e.cors.origin = c.cors_origin == "reflect" ? "" : c.cors_origin;
    e.cors.credentials = c.cors_credentials;
  }
  if (!c.cookie.empty()) {
    e.cookie.enabled = true;
    e.cookie.name = c.cookie;
    e.cookie.path = c.cookie_path;
    e.cookie.http_only = c.cookie_http_only;
    e.cookie.same_site = c.cookie_same_site;
  }
  e.tls_certificate = c.tls_cert;
  e.tls_key = c.tls_key;
  e.log = std::make_shared<const logger>(*parse_log_level(c.log_level));
  if (c.metrics) e.stats = std::make_shared<metrics>();
  so.connect_timeout = c.connect_timeout;
  so.max_attachments = c.max_attachments;
  so.io_threads = c.io_threads;
  return so;
}

std::string usage() {
  node_config defaults;
  std::ostringstream out;
  out << "usage: cafio-node [options]\n\n"
      << "Every option can also come from a JSON config file (--config FILE, keys are the\n"
      << "option names, e.g. {\"port\": 8080}) or from an environment variable (CAFIO_<NAME>,\n"
      << "e.g. CAFIO_PING_INTERVAL=300). The command line wins over the environment, which\n"
      << "wins over the config file. The conformance and eio-echo apps change some defaults\n"
      << "(../shared/conformance-app.md); options you set are kept.\n\n"
      << "  --config FILE\n      read options from a JSON file\n";
  for (auto& o : options()) {
    out << "  --" << o.name;
    if (!o.value_hint.empty())
      out << ' ' << o.value_hint;
    else
      out << "[=true|false]";
    auto value = o.get(defaults);
    out << "\n      " << o.help << " (default: " << (value.empty() ? "none" : value) << "; env "
        << env_name(o.name) << ")\n";
  }
  out << "  --help\n      this text\n";
  return out.str();
}

}  // namespace cafio::node
