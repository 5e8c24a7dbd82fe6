// Engine.IO v3 HTTP long-polling payloads (engine.io-parser 2.x), in both
// forms a v3 server speaks:
//  - text: each packet as "<length>:<packet>", where the length counts UTF-16
//    code units (JavaScript string length), e.g. "6:4hello2:2x"; binary
//    packets as "b<type><base64>" (for clients without binary support, b64=1);
//  - binary (XHR2, Content-Type application/octet-stream): each packet as
//    <0|1><length digits, each a raw byte 0-9><0xFF><packet>, where 0 marks a
//    text packet ("<type><data>", length in bytes) and 1 a binary one (a raw
//    type byte, then the data).
// (v4 payloads live in engineio_payload.hpp.)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "protocol/engineio_packet.hpp"
#include "protocol/result.hpp"

namespace cafio::engineio::v3 {

/// Appends one packet to a text payload: "<length>:<type><data>", or
/// "<length>:b<type><base64>" for a binary packet.
void append_to_text_payload(std::string& body, packet_view p);

/// Encodes packets as one text payload; no packets encode as "0:".
std::string encode_text_payload(const std::vector<packet>& packets);

/// Decodes a text payload. Fails on an empty body, a length that is not
/// decimal digits followed by ':', a length running past the body or into the
/// middle of a character, an unknown packet type or bad base64. An empty
/// packet ("0:") is skipped, as engine.io-parser skips it.
result<std::vector<packet>> decode_text_payload(std::string_view body);

/// Appends one packet to a binary payload.
void append_to_binary_payload(std::string& body, packet_view p);

/// Encodes packets as one binary payload; no packets encode as an empty body.
std::string encode_binary_payload(const std::vector<packet>& packets);

/// Decodes a binary payload. Fails on a marker other than 0 or 1, a length
/// that is not raw digit bytes ended by 0xFF, a length running past the body,
/// an empty packet or an unknown packet type. An empty body holds no packets.
result<std::vector<packet>> decode_binary_payload(std::string_view body);

}  // namespace cafio::engineio::v3
