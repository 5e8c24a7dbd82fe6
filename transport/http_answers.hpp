// The HTTP answers of the Engine.IO server, as the reference server writes
// them: error bodies (engine.io Server.errorMessages), polling payloads, the
// "ok" of a POST, CORS headers and the preflight answer.
#pragma once

#include <optional>
#include <string>

#include "protocol/engineio_handshake.hpp"
#include "transport/engineio_options.hpp"
#include "transport/http_exchange.hpp"

namespace cafio::transport {

/// Adds Access-Control-* headers for a request (nothing when CORS is off).
void add_cors_headers(const cors_options& cors, const http_request& request, header_list& headers);

/// 400 (403 for forbidden) with {"code":N,"message":"..."}.
http_answer error_answer(const engineio_options& options, const http_request& request,
                         engineio::error_code code, std::optional<std::string> message = {});

/// 200 with a polling payload; gzip/deflate encoded when `compress` (no
/// packet in it was sent with compress(false)), HTTP compression is on, the
/// body reaches its threshold and the client accepts an encoding.
http_answer payload_answer(const engineio_options& options, const http_request& request,
                           std::string body, bool binary = false, bool compress = false);

/// 200 "ok", the answer to a polling POST.
http_answer ok_answer(const engineio_options& options, const http_request& request);

/// 204 with the CORS preflight headers.
http_answer preflight_answer(const engineio_options& options, const http_request& request);

/// The Set-Cookie value of the handshake cookie.
std::string handshake_cookie(const cookie_options& cookie, const std::string& sid);

}  // namespace cafio::transport
