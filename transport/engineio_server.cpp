#include "transport/engineio_server.hpp"

#include <chrono>
#include <thread>

#include <caf/send.hpp>

#include "protocol/engineio_jsonp.hpp"
#include "protocol/query_string.hpp"
#include "transport/beast_connections.hpp"
#include "transport/http_answers.hpp"
#include "transport/session_id.hpp"
#include "transport/transport_actor.hpp"

namespace cafio::transport {

namespace {

void reject(const engine_context& ctx, const http_exchange_ptr& ex, engineio::error_code code,
            std::optional<std::string> message = {}) {
  auto& req = ex->request();
  if (auto& stats = ctx.options.stats)
    metrics::add(stats->handshake_errors[static_cast<std::size_t>(code)]);
  if (auto& log = ctx.options.log; log && log->enabled(log_level::info))
    log->log(log_level::info, "engine.request_refused",
             {{"code", static_cast<int>(code)},
              {"message", message ? *message : std::string(engineio::error_message(code))},
              {"method", req.method},
              {"url", req.target},
              {"address", req.remote_address}});
  if (req.websocket_upgrade) {
    // engine.io's abortUpgrade: a plain 400 naming the error, then close.
    http_answer a;
    a.status = 400;
    a.content_type = "text/html";
    a.body = message ? *message : std::string(engineio::error_message(code));
    a.close_connection = true;
    ex->respond(std::move(a));
    return;
  }
  ex->respond(error_answer(ctx.options, req, code, std::move(message)));
}

std::shared_ptr<const handshake_request> make_handshake_request(const http_request& req) {
  auto h = std::make_shared<handshake_request>();
  h->method = req.method;
  h->url = req.target;
  h->set_headers(req.headers);
  h->address = req.remote_address;
  h->secure = req.secure;
  h->issued_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  return h;
}

/// engine.io's Transport#supportsBinary: false when the request asked for
/// base64 (any non-empty `b64`).
bool wants_base64(const query_params& params) {
  auto b64 = find_param(params, "b64");
  return b64 && !b64->empty();
}

websocket_framing framing_of(engineio::protocol_version version, const query_params& params) {
  // Only EIO v3 clients ask for base64 WebSocket frames (engine.io-client 3
  // forceBase64).
  return {version, version == engineio::protocol_version::v3 && wants_base64(params)};
}

void route(const std::shared_ptr<engine_context>& ctx, const http_handler* handler,
           const http_exchange_ptr& ex) {
  auto& req = ex->request();
  auto& opts = ctx->options;
  if (!req.websocket_upgrade && handler && *handler) {
    if (auto answer = (*handler)(req)) {
      ex->respond(std::move(*answer));
      return;
    }
  }
  if (req.path.compare(0, opts.path.size(), opts.path) != 0) {
    http_answer answer;
    answer.status = 404;
    answer.content_type = "text/plain";
    answer.body = "Not Found";
    ex->respond(std::move(answer));
    return;
  }
  if (req.method == "OPTIONS" && opts.cors.enabled && !req.websocket_upgrade) {
    ex->respond(preflight_answer(opts, req));
    return;
  }
  auto params = parse_query(req.query);
  auto transport = find_param(params, "transport");
  bool polling = transport == "polling" && opts.allow_polling;
  bool websocket = transport == "websocket" && opts.allow_websocket;
  if (!polling && !websocket) return reject(*ctx, ex, engineio::error_code::unknown_transport);
  auto eio = find_param(params, "EIO");

  if (auto sid = find_param(params, "sid")) {
    auto session = ctx->sessions.find(*sid);
    if (!session) return reject(*ctx, ex, engineio::error_code::unknown_sid);
    auto& actor = session->actor;
    if (websocket != req.websocket_upgrade)
      return reject(*ctx, ex, engineio::error_code::bad_request);
    // engine.io reads any EIO other than "4" as v3 here; a request must speak
    // its session's protocol (PROTOCOL_MISMATCH, e.g. a v4 upgrade of a v3
    // session).
    auto requested = eio == "4" ? engineio::protocol_version::v4 : engineio::protocol_version::v3;
    if (requested != session->version) return reject(*ctx, ex, engineio::error_code::bad_request);
    if (websocket) {
      ex->accept_websocket(framing_of(session->version, params), opts.max_payload,
                           [a = actor](websocket_channel_ptr channel) {
                             // The session starts reading it (start_channel).
                             caf::anon_send(a, ws_open_atom::value, channel);
                           });
      return;
    }
    if (req.method == "GET" || req.method == "POST") {
      // The session may end before it reads this request: the client then
      // learns what a request after the end would (engine.io: unknown sid).
      ex->answer_if_dropped([ctx](const http_request& request) {
        return error_answer(ctx->options, request, engineio::error_code::unknown_sid);
      });
    }
    if (req.method == "GET") {
      ex->on_abort([a = actor, id = ex->id()] { caf::anon_send(a, poll_abort_atom::value, id); });
      caf::anon_send(actor, poll_atom::value, ex);
    } else if (req.method == "POST") {
      caf::anon_send(actor, post_atom::value, ex);
    } else {
      reject(*ctx, ex, engineio::error_code::bad_request);
    }
    return;
  }

  // A handshake.
  if (ctx->stopping.load()) {
    // Still accepting, so that open sessions can pick up their close
    // packets; but nothing new starts.
    auto answer = error_answer(opts, req, engineio::error_code::bad_request,
                               std::string("Server is shutting down"));
    answer.status = 503;
    answer.close_connection = true;
    ex->respond(std::move(answer));
    return;
  }
  if (req.method != "GET") return reject(*ctx, ex, engineio::error_code::bad_handshake_method);
  engineio::protocol_version version;
  if (eio == "4")
    version = engineio::protocol_version::v4;
  else if (eio == "3" && opts.allow_eio3)
    version = engineio::protocol_version::v3;
  else
    return reject(*ctx, ex, engineio::error_code::unsupported_protocol_version);
  if (websocket != req.websocket_upgrade)
    return reject(*ctx, ex, engineio::error_code::bad_request);
  session_start start;
  start.request = make_handshake_request(req);
  if (opts.allow_request) {
    if (auto refusal = opts.allow_request(*start.request))
      return reject(*ctx, ex, engineio::error_code::forbidden, *refusal);
  }
  start.sid = generate_id();
  start.version = version;
  if (!websocket) {
    // engine.io picks its JSONP polling transport by the handshake's `j`.
    if (auto j = find_param(params, "j")) start.jsonp_index = engineio::jsonp::callback_index(*j);
  }
  // v3 polling: binary as XHR2 binary payloads unless the client asked for
  // base64; a JSONP response is a script, text only.
  start.supports_binary =
      !(version == engineio::protocol_version::v3 && (wants_base64(params) || start.jsonp_index));
  if (websocket) {
    ex->accept_websocket(framing_of(version, params), opts.max_payload,
                         [ctx, start = std::move(start)](websocket_channel_ptr channel) mutable {
                           start.channel = std::move(channel);
                           spawn_session(ctx, std::move(start));
                         });
  } else {
    start.handshake = ex;
    spawn_session(ctx, std::move(start));
  }
}

}  // namespace

std::string normalize_path(std::string path) {
  if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');
  if (path.back() != '/') path.push_back('/');
  return path;
}

engineio_server::engineio_server(caf::actor_system& sys, engineio_options options,
                                 upper_factory factory)
    : http_handler_(std::make_shared<http_handler>()) {
  options.path = normalize_path(options.path);
  context_ = std::make_shared<engine_context>(sys, std::move(options), std::move(factory));
}

engineio_server::~engineio_server() {
  stop();
}

void engineio_server::set_http_handler(http_handler handler) {
  *http_handler_ = std::move(handler);
}

std::uint16_t engineio_server::listen(const std::string& host, std::uint16_t port,
                                      std::string& error, std::size_t io_threads) {
  if (listener_) {
    error = "already listening";
    return 0;
  }
  if (io_threads == 0) io_threads = std::max(1u, std::thread::hardware_concurrency());
  connection_limits limits;
  limits.max_body = context_->options.max_payload;
  limits.max_send_queue_bytes = context_->options.max_send_queue_bytes;
  limits.per_message_deflate = context_->options.per_message_deflate.enabled;
  limits.deflate_threshold = context_->options.per_message_deflate.threshold;
  listener_ = std::make_unique<beast_listener>(
      io_threads, limits, [ctx = context_, handler = http_handler_](http_exchange_ptr ex) {
        route(ctx, handler.get(), ex);
      });
  if (!context_->options.tls_certificate.empty() &&
      !listener_->use_tls(context_->options.tls_certificate, context_->options.tls_key, error)) {
    listener_.reset();
    return 0;
  }
  auto bound = listener_->listen(host, port, error);
  if (bound == 0) listener_.reset();
  return bound;
}

void engineio_server::close_sessions(close_reason reason, std::chrono::milliseconds grace) {
  using clock = std::chrono::steady_clock;
  for (auto& actor : context_->sessions.all())
    caf::anon_send(actor, caf::close_atom::value, reason);
  auto deadline = clock::now() + grace;
  while (context_->sessions.size() > 0 && clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // Sessions still there now do not finish by themselves: stop them.
  for (auto& actor : context_->sessions.all())
    caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  deadline = clock::now() + std::chrono::seconds(2);
  while (context_->live_sessions.load() > 0 && clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

void engineio_server::stop(std::chrono::milliseconds grace) {
  if (stopped_) return;
  stopped_ = true;
  // Connections are still accepted while the sessions close: a polling
  // client between two polls gets its close packet on its next request,
  // which may come on a new connection. New sessions are refused.
  context_->stopping = true;
  close_sessions(close_reason::server_shutting_down, grace);
  if (listener_) listener_->stop_accepting();
  if (listener_) {
    listener_->stop_accepting();
    // Give the last writes (close frames, close packets) a moment on the wire.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
    while (std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    listener_->shutdown();
  }
}

std::size_t engineio_server::session_count() const {
  return context_->sessions.size();
}

const engineio_options& engineio_server::options() const {
  return context_->options;
}

}  // namespace cafio::transport
