// Engine.IO JSONP polling (engine.io's polling-jsonp transport, for old
// browsers without CORS; engine.io-client 3.x sends `j=<index>` and `b64=1`):
// a GET answers with a script calling `___eio[<index>]` with the payload as a
// JavaScript string; a POST carries the payload form-encoded as `d=`, with
// the client's newline escaping. The payload inside is an ordinary polling
// payload (v3: length-prefixed text).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cafio::engineio::jsonp {

/// The callback index of a `j` query value: its decimal digits only, as
/// engine.io keeps them ("a1b2" → "12", "" → "").
std::string callback_index(std::string_view j);

/// `___eio[<index>]("<payload as a JSON string>");` with U+2028 and U+2029
/// escaped too, so that the body is valid JavaScript and not only valid JSON.
std::string encode_response(std::string_view index, std::string_view payload);

/// The payload of a JSONP POST body: the form field `d` (percent- and
/// '+'-decoded), with the client's escaping undone ("\n" → newline,
/// "\\n" → "\n"). nullopt when the form has no `d` or several: engine.io then
/// ignores the request (it still answers "ok").
std::optional<std::string> decode_post(std::string_view body);

/// Undoes engine.io-client's JSONP newline escaping: a backslash-n becomes a
/// newline, a backslash-backslash-n becomes a backslash-n (engine.io's
/// polling-jsonp onData, both regular expressions in order).
std::string unescape_newlines(std::string_view text);

}  // namespace cafio::engineio::jsonp
