#include "transport/http_compression.hpp"

#include <zlib.h>

#include <array>
#include <cctype>
#include <cstdlib>
#include <string>

namespace cafio::transport {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    if (std::tolower(x) != std::tolower(y)) return false;
  }
  return true;
}

/// One entry of Accept-Encoding: "gzip;q=0.5".
struct accepted_coding {
  std::string_view name;
  double q = 1;
  int order = 0;  // position in the header
};

/// How well `name` matches one entry (negotiator's getEncodingPriority):
/// specificity 1 for the name itself, 0 for "*".
struct priority {
  int order = -1;
  double q = 0;
  int specificity = 0;
};

}  // namespace

std::string_view to_string(content_coding coding) {
  switch (coding) {
    case content_coding::gzip:
      return "gzip";
    case content_coding::deflate:
      return "deflate";
    default:
      return "";
  }
}

content_coding choose_coding(std::string_view header) {
  std::array<accepted_coding, 16> entries;
  int count = 0;
  for (int order = 0; !header.empty() && count < static_cast<int>(entries.size()); ++order) {
    auto comma = header.find(',');
    auto item = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    auto semicolon = item.find(';');
    accepted_coding e;
    e.name = trim(item.substr(0, semicolon));
    e.order = order;
    if (e.name.empty()) continue;
    while (semicolon != std::string_view::npos) {
      item = item.substr(semicolon + 1);
      semicolon = item.find(';');
      auto param = trim(item.substr(0, semicolon));
      if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=')
        e.q = std::strtod(std::string(param.substr(2)).c_str(), nullptr);
    }
    entries[count++] = e;
  }
  // negotiator: the best entry per offered coding (more specific, then higher
  // q, then later), then the offers by q, specificity, header order, our
  // order (gzip before deflate).
  constexpr std::array<content_coding, 2> offered{content_coding::gzip, content_coding::deflate};
  content_coding best = content_coding::identity;
  priority best_priority;
  for (auto coding : offered) {
    priority p;
    for (int i = 0; i < count; ++i) {
      auto& e = entries[i];
      int specificity = iequals(e.name, to_string(coding)) ? 1 : e.name == "*" ? 0 : -1;
      if (specificity < 0) continue;
      if (p.specificity != specificity ? p.specificity < specificity
          : p.q != e.q                 ? p.q < e.q
                                       : p.order < e.order)
        p = priority{e.order, e.q, specificity};
    }
    if (p.q <= 0) continue;
    bool better =
        best == content_coding::identity ||
        (p.q != best_priority.q                       ? p.q > best_priority.q
         : p.specificity != best_priority.specificity ? p.specificity > best_priority.specificity
                                                      : p.order < best_priority.order);
    if (better) {
      best = coding;
      best_priority = p;
    }
  }
  return best;
}

std::optional<std::string> compress_body(std::string_view data, content_coding coding) {
  if (coding == content_coding::identity) return std::string(data);
  z_stream z{};
  // windowBits 15: the zlib wrapper; +16: the gzip wrapper instead.
  int window_bits = coding == content_coding::gzip ? 15 + 16 : 15;
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK)
    return std::nullopt;
  std::string out;
  out.resize(deflateBound(&z, static_cast<uLong>(data.size())));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  // deflateBound makes the whole body fit: one call finishes it.
  auto rc = deflate(&z, Z_FINISH);
  auto written = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  out.resize(written);
  return out;
}

}  // namespace cafio::transport
