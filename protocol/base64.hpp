// Standard base64 (RFC 4648, with padding), used for binary packets in
// polling payloads ("b<base64>"). Written here because the protocol layer may
// depend on nothing but the standard library and nlohmann/json, and Beast's
// base64 is an undocumented detail header.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cafio {

std::string base64_encode(std::string_view bytes);
void base64_encode_append(std::string& out, std::string_view bytes);

/// Returns nullopt on characters outside the alphabet or a bad length/padding.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace cafio
