// The apps cafio-node can run (../shared/conformance-app.md,
// ../shared/bench-app.md, the demo).
#pragma once

#include "actors/server.hpp"
#include "transport/session_interface.hpp"

namespace cafio::node {

/// conformance-app.md §3: the handlers of "/", "/custom" and "/private".
void install_conformance_app(server& io);

/// bench-app.md: "join", "io-to" and "message-with-ack" on "/".
void install_bench_app(server& io);

/// conformance-app.md §5: an Engine.IO session that echoes every message.
transport::upper_factory eio_echo_factory();

/// The demo: a chat (nicknames, rooms, typing, images) on "/"; its page is
/// served by demo_site (demo_site.hpp).
void install_demo_app(server& io);

}  // namespace cafio::node
