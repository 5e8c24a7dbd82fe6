// The scenarios of cafio-bench. Each returns
//   {"params": {...}, "metrics": {...}, "checks": {..., "ok": bool},
//    "notes": [...], "error": "..." (only when the server was unreachable)}
// and stops by itself: every phase has a deadline.
#pragma once

#include <nlohmann/json.hpp>

#include "bench_options.hpp"

namespace cafio::bench {

using json = nlohmann::json;

/// connect / hold: N connections with bounded concurrency; conn/s, server
/// RSS and CPU per connection.
json run_connect(const bench_options& options);

/// echo: N clients, a window of acked emits each.
json run_echo(const bench_options& options);

/// fanout, rooms, slowconsumer: io-to broadcasts into rooms.
json run_broadcast(const bench_options& options);

}  // namespace cafio::bench
