// socket.handshake: the details of the request that opened the connection.
#pragma once

#include <cstdint>
#include <string>

#include "actors/event.hpp"
#include "transport/handshake_request.hpp"

namespace cafio {

struct handshake {
  json headers;      // object, lower-cased names
  std::string time;  // Date.toString() of the handshake
  std::string address;
  bool xdomain = false;  // an Origin header was sent
  bool secure = false;
  std::int64_t issued = 0;  // ms since the epoch
  std::string url;
  json query;  // object of strings
  json auth;   // the CONNECT payload (v5) or the namespace query (v4)

  json to_json() const;
};

/// Builds socket.handshake from the request and the auth payload.
handshake make_handshake(const transport::handshake_request& request, json auth);

/// JavaScript's Date.prototype.toString() of a UTC time, e.g.
/// "Wed Nov 25 2026 00:20:44 GMT+0000 (Coordinated Universal Time)".
std::string js_date_string(std::int64_t ms_since_epoch);

}  // namespace cafio
