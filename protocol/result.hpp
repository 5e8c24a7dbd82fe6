// A value or a protocol error: how the protocol layer reports bad input
// without exceptions (STYLE: errors are values at the protocol layer).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace cafio {

/// Why a piece of input was rejected. `message` is for logs and tests.
struct protocol_error {
  std::string message;
};

inline bool operator==(const protocol_error& a, const protocol_error& b) {
  return a.message == b.message;
}

template <class T>
class result {
 public:
  result(T value) : state_(std::move(value)) {}
  result(protocol_error err) : state_(std::move(err)) {}

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const protocol_error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, protocol_error> state_;
};

inline protocol_error make_error(std::string message) {
  return protocol_error{std::move(message)};
}

}  // namespace cafio
