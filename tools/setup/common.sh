# Shared by run-node.sh and run-tests.sh: install what is missing (Debian
# packages, as root on Debian 12), then configure and build with CMake.
# Sourced, not run.

set -euo pipefail

CAFIO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

BUILD_PACKAGES=(g++ cmake ninja-build ccache pkg-config libcaf-dev libboost-dev
  nlohmann-json3-dev catch2 libssl-dev zlib1g-dev)

# Peers and tools the tests use: openssl makes the TLS test's certificate,
# python3-socketio is a second real client.
TEST_PACKAGES=(openssl python3 python3-socketio python3-requests python3-websocket)
# The browser test drives Debian's Chromium (tests/browser/).
BROWSER_PACKAGES=(chromium)

log() { printf '\033[1m[cafio]\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages of "$@" that are not installed yet.
install_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
}

# Node.js and npm for the test peers: Debian's, unless a node is already there.
install_node() {
  if ! command -v node >/dev/null 2>&1; then
    install_packages nodejs npm
  elif ! command -v npm >/dev/null 2>&1; then
    install_packages npm
  fi
}

# npm test peers (socket.io-client, the reference socket.io, ws) from the
# committed lock file.
install_npm_packages() {
  install_node
  if [ ! -d "$CAFIO_ROOT/node_modules" ] ||
    [ "$CAFIO_ROOT/package-lock.json" -nt "$CAFIO_ROOT/node_modules/.package-lock.json" ]; then
    log "npm ci"
    (cd "$CAFIO_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

jobs() { nproc 2>/dev/null || echo 2; }

# build DIR BUILD_TYPE [extra cmake args...]
build() {
  local dir="$1" type="$2"
  shift 2
  log "building $type in $dir"
  cmake -S "$CAFIO_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  cmake --build "$dir" --parallel "$(jobs)"
}
