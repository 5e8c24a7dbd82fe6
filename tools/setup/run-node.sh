#!/usr/bin/env bash
# The main job: install what is missing, build (Release) and run the
# standalone node with the demo app. Arguments go to cafio-node, e.g.
#   tools/setup/run-node.sh --port 8080 --host 0.0.0.0
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

install_packages "${BUILD_PACKAGES[@]}"
# The demo page loads /socket.io/socket.io.js, served from the npm
# socket.io-client package.
install_npm_packages
build "$CAFIO_ROOT/build/release" Release -DCAFIO_BUILD_TESTS=OFF
log "starting cafio-node (Ctrl-C stops it)"
exec "$CAFIO_ROOT/build/release/tools/cafio-node/cafio-node" "$@"
