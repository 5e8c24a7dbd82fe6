// Lets nlohmann::json values (with binary parts) travel in CAF messages and
// across nodes: they are serialized as CBOR, which keeps binary values.
#pragma once

#include <cstdint>
#include <vector>

#include <caf/error.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/none.hpp>
#include <nlohmann/json.hpp>

namespace nlohmann {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, json& x) {
  std::vector<std::uint8_t> bytes;
  if constexpr (Inspector::reads_state) bytes = json::to_cbor(x);
  return f(caf::meta::type_name("json"), bytes, caf::meta::load_callback([&]() -> caf::error {
             x = json::from_cbor(bytes, true, false);
             return caf::none;
           }));
}

}  // namespace nlohmann
