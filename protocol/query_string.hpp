// URL query strings as Node's querystring.parse reads them: '&'-separated
// "key=value" pairs, percent-decoded, '+' read as a space. Used for the
// Engine.IO request URL and for Socket.IO v4 namespace queries
// ("/admin?token=x").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cafio {

using query_params = std::vector<std::pair<std::string, std::string>>;

/// Splits "a=1&b=2" into pairs; a key without '=' gets an empty value.
/// Malformed percent escapes are kept literally (as Node does).
query_params parse_query(std::string_view query);

/// The value of the first pair named `key`.
std::optional<std::string> find_param(const query_params& params, std::string_view key);

/// Decodes %XX escapes and '+'.
std::string url_decode(std::string_view text);

}  // namespace cafio
