#!/usr/bin/env bash
# bench.smoke: a short run of every scenario (few connections, ~2 s each)
# against cafio-node --app bench, asserting the load generator's own
# consistency checks: no loss, no duplicates, in order, nothing misrouted or
# corrupt. Speed figures are never asserted.
#
#   smoke-test.sh CAFIO_NODE CAFIO_BENCH [--fault drop|duplicate|reorder]
#   smoke-test.sh CAFIO_NODE CAFIO_BENCH --slowconsumer
#
# With --fault the load generator mishandles one delivery on purpose and the
# test passes only if every faulted run is caught (exit status 1 and the
# matching counter non-zero). --slowconsumer runs that scenario alone: the
# fast receivers must see everything, and the server must survive.
set -euo pipefail

node_bin="$1"
bench_bin="$2"
mode="${3:-}"
fault=""
[ "$mode" = "--fault" ] && fault="${4:-}"

work="$(mktemp -d)"
server_pid=""
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# A random port below the ephemeral range (32768-60999); another one if taken.
port=""
for _ in 1 2 3 4 5; do
  try=$((20000 + RANDOM % 12000))
  "$node_bin" --app bench --host 127.0.0.1 --port "$try" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    grep -q "http://127.0.0.1:$try/" "$work/server.log" && port="$try" && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$port" ] && break
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
done
if [ -z "$port" ]; then
  echo "smoke: cafio-node did not start:" >&2
  cat "$work/server.log" >&2
  exit 2
fi

common=(--port "$port" --server-pid "$server_pid" --label cafio --duration 1.5 --warmup 0.3
  --threads 2)
status=0
run() {
  local name="$1"
  shift
  echo "== $name $*"
  local rc=0
  "$bench_bin" "$@" "${common[@]}" --json "$work/$name.json" || rc=$?
  echo "   exit $rc"
  return $rc
}

server_alive() {
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "smoke: cafio-node died:" >&2
    tail -n 20 "$work/server.log" >&2
    return 1
  fi
}

if [ "$mode" = "--slowconsumer" ]; then
  run slowconsumer slowconsumer --clients 10 --payload 2048 || status=1
  server_alive || status=1
  exit "$status"
fi
if [ -z "$fault" ]; then
  run connect connect --clients 50 --concurrency 10 --hold 0.5 || status=1
  run fanout fanout --clients 20 || status=1
  run echo echo --clients 10 --window 4 || status=1
  run rooms rooms --clients 30 --rooms 5 --senders 3 || status=1
  server_alive || status=1
  [ "$status" -eq 0 ] && echo "smoke: every consistency check passed"
  exit "$status"
fi

# Self-check: each faulted run must fail its checks, with the right counter.
case "$fault" in
  drop) counter=lost ;;
  duplicate) counter=duplicates ;;
  reorder) counter=out_of_order ;;
  *) echo "smoke: unknown fault $fault" >&2; exit 2 ;;
esac
for scenario in fanout echo rooms; do
  args=(--clients 10 --fault "$fault")
  [ "$scenario" = rooms ] && args+=(--rooms 2 --senders 2)
  rc=0
  run "$scenario" "$scenario" "${args[@]}" || rc=$?
  if [ "$rc" -ne 1 ] || ! grep -Eq "\"$counter\": [1-9]" "$work/$scenario.json"; then
    echo "smoke: $scenario with --fault $fault was not caught (exit $rc)" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "smoke: every injected $fault was caught"
exit "$status"
