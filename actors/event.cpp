#include "actors/event.hpp"

namespace cafio {

json binary(std::string_view bytes) {
  return json::binary(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
}

json binary(std::vector<std::uint8_t> bytes) {
  return json::binary(std::move(bytes));
}

std::optional<std::string> bytes_of(const json& value) {
  if (!value.is_binary()) return std::nullopt;
  auto& b = value.get_binary();
  return std::string(b.begin(), b.end());
}

void ack::send(args answer) const {
  // Not atomic on purpose: an ack belongs to one handler; calling it from two
  // threads at once is a bug in the caller, and the socket drops the second.
  if (!state_ || state_->sent) return;
  state_->sent = true;
  state_->send(std::move(answer));
}

void next::finish(std::optional<middleware_error> error) const {
  if (!state_ || state_->called) return;
  state_->called = true;
  state_->done(std::move(error));
}

}  // namespace cafio
