// Engine.IO v4 HTTP long-polling payloads: packets separated by the record
// separator '\x1e'; binary packets as 'b' followed by base64 of the data.
// (v3 length-prefixed payloads live in engineio_payload_v3.hpp.)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "protocol/engineio_packet.hpp"
#include "protocol/result.hpp"

namespace cafio::engineio {

inline constexpr char record_separator = '\x1e';

/// Appends one packet to a v4 payload body, adding the separator when the
/// body already holds a packet.
void append_to_payload(std::string& body, packet_view p);

/// Encodes packets as one v4 payload.
std::string encode_payload(const std::vector<packet>& packets);

/// Decodes a v4 payload (a POST body). Fails on an empty body, an empty
/// packet, an unknown type or bad base64.
result<std::vector<packet>> decode_payload(std::string_view body);

}  // namespace cafio::engineio
