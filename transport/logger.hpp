// Structured logs: one JSON object per line ({"time","level","event",...}),
// written whole to a sink (stderr by default), below a level threshold.
// Quiet by default: warnings and errors only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace cafio {

enum class log_level : std::uint8_t { error, warn, info, debug };

std::string_view to_string(log_level level);
std::optional<log_level> parse_log_level(std::string_view text);

class logger {
 public:
  using sink_fn = std::function<void(const std::string& line)>;

  /// Writes each line with one write(2) to stderr, so lines from several
  /// threads never interleave.
  static sink_fn stderr_sink();

  explicit logger(log_level threshold = log_level::warn, sink_fn sink = stderr_sink());

  bool enabled(log_level level) const noexcept { return level <= threshold_; }

  /// Logs `event` with `fields` (an object) if `level` is enabled.
  void log(log_level level, std::string_view event, nlohmann::json fields = {}) const;

 private:
  log_level threshold_;
  sink_fn sink_;
};

using logger_ptr = std::shared_ptr<const logger>;

}  // namespace cafio
