// HTTP compression of polling responses, as engine.io's httpCompression:
// the coding is chosen from Accept-Encoding the way npm `accepts` (negotiator)
// chooses between "gzip" and "deflate", and the body is compressed with zlib.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cafio::transport {

enum class content_coding { identity, gzip, deflate };

/// "gzip", "deflate" or "" for identity.
std::string_view to_string(content_coding coding);

/// The coding a client with this Accept-Encoding header prefers among gzip
/// and deflate; identity when it accepts neither (or sent no header).
content_coding choose_coding(std::string_view accept_encoding);

/// `data` compressed with `coding` (gzip: RFC 1952, deflate: the zlib format
/// of RFC 1950, as node's zlib.createGzip / createDeflate write them);
/// nullopt if zlib fails.
std::optional<std::string> compress_body(std::string_view data, content_coding coding);

}  // namespace cafio::transport
