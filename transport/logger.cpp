#include "transport/logger.hpp"

#include <unistd.h>

#include <chrono>
#include <ctime>

namespace cafio {

std::string_view to_string(log_level level) {
  switch (level) {
    case log_level::error:
      return "error";
    case log_level::warn:
      return "warn";
    case log_level::info:
      return "info";
    case log_level::debug:
      return "debug";
  }
  return "info";
}

std::optional<log_level> parse_log_level(std::string_view text) {
  for (auto level : {log_level::error, log_level::warn, log_level::info, log_level::debug})
    if (to_string(level) == text) return level;
  return std::nullopt;
}

logger::sink_fn logger::stderr_sink() {
  return [](const std::string& line) {
    auto data = line.data();
    auto left = line.size();
    // A short write is possible on a pipe; a bounded number of retries.
    for (int tries = 0; left > 0 && tries < 8; ++tries) {
      auto n = ::write(2, data, left);
      if (n <= 0) return;
      data += n;
      left -= static_cast<std::size_t>(n);
    }
  };
}

logger::logger(log_level threshold, sink_fn sink) : threshold_(threshold), sink_(std::move(sink)) {}

void logger::log(log_level level, std::string_view event, nlohmann::json fields) const {
  if (!enabled(level) || !sink_) return;
  using namespace std::chrono;
  auto now = system_clock::now();
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char stamp[40];
  auto n = std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(stamp + n, sizeof(stamp) - n, ".%03lldZ", static_cast<long long>(ms % 1000));
  nlohmann::ordered_json line;
  line["time"] = stamp;
  line["level"] = std::string(to_string(level));
  line["event"] = std::string(event);
  if (fields.is_object())
    for (auto& [key, value] : fields.items()) line[key] = value;
  sink_(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

}  // namespace cafio
