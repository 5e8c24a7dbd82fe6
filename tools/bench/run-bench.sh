#!/usr/bin/env bash
# Runs the Node reference (tools/reference/bench-app.mjs on npm socket.io 4.8)
# and cafio (cafio-node --app bench) through the same cafio-bench scenarios,
# one fresh server process per run, waiting for an idle machine before each
# run; then prints every figure with the ratio cafio/Node.
#
#   tools/bench/run-bench.sh [--quick] [--hold] [--scenarios "connect fanout ..."]
#                            [--threads T] [--out DIR]
#
#   --quick        small numbers (a minute or two), to try the script out
#   --hold         also the hold scenario: 100,000 idle connections from
#                  127.0.0.1-8 (raises ulimit -n; fewer connections when the hard
#                  limit cannot be raised)
#   --scenarios S  which scenarios, in order (default: connect fanout echo rooms
#                  slowconsumer, plus hold with --hold)
#   --threads T    load generator threads (default 1)
#   --out DIR      where results go (default build/bench/<UTC date>)
#   --idle-busy F  machine busy share under which it counts as idle (default 0.10)
#   --idle-max S   longest wait for an idle machine before a run (default 120)
#   --max-other C  a run during which other processes used more than C cores
#                  (cafio-bench's other_cores_busy) counts as disturbed (0.3;
#                  at least 0.7 for connect and hold)
#   --retries N    disturbed runs are tried again up to N times; the least
#                  disturbed try is kept (default 2; every try is in tries/)
#   --port-base P  Node listens on P, cafio on P+1 (default 3201; below 32768)
#
# Servers are started directly (node ..., cafio-node ...) so the PID the script
# holds is the server; each is stopped after its run and on any exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$ROOT/build/release"
CAFIO_NODE="$BUILD/tools/cafio-node/cafio-node"
CAFIO_BENCH="$BUILD/tools/bench/cafio-bench"
NODE_APP="$ROOT/tools/reference/bench-app.mjs"

command_line="tools/bench/run-bench.sh $*"
quick=0
with_hold=0
scenarios=""
threads=1
out=""
idle_busy=0.10
idle_max=120
port_base=3201
retries=2
max_other=0.3
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --hold) with_hold=1 ;;
    --scenarios) scenarios="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    --out) out="$2"; shift ;;
    --idle-busy) idle_busy="$2"; shift ;;
    --idle-max) idle_max="$2"; shift ;;
    --port-base) port_base="$2"; shift ;;
    --retries) retries="$2"; shift ;;
    --max-other) max_other="$2"; shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "run-bench: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
if [ "$port_base" -ge 32767 ] || [ "$port_base" -lt 1024 ]; then
  echo "run-bench: --port-base must be in 1024..32766" >&2
  exit 2
fi
if [ -z "$scenarios" ]; then
  scenarios="connect fanout echo rooms slowconsumer"
  [ "$with_hold" -eq 1 ] && scenarios="$scenarios hold"
fi

log() { printf '\033[1m[bench]\033[0m %s\n' "$*" >&2; }

# --- what each scenario runs ----------------------------------------------------
scenario_args() {
  if [ "$quick" -eq 1 ]; then
    case "$1" in
      connect) echo "--clients 2000 --concurrency 100 --hold 2" ;;
      fanout) echo "--clients 200 --payload 100 --duration 3" ;;
      echo) echo "--clients 50 --window 16 --duration 3" ;;
      rooms) echo "--clients 200 --rooms 20 --senders 5 --duration 3" ;;
      slowconsumer) echo "--clients 50 --payload 4096 --duration 5" ;;
      hold) echo "--clients 20000 --sources 1-4 --concurrency 500 --hold 3" ;;
    esac
  else
    case "$1" in
      connect) echo "--clients 10000 --concurrency 100 --hold 3" ;;
      fanout) echo "--clients 1000 --payload 100 --duration 10" ;;
      echo) echo "--clients 100 --window 16 --duration 10" ;;
      rooms) echo "--clients 1000 --rooms 100 --senders 10 --duration 10" ;;
      slowconsumer) echo "--clients 100 --payload 4096 --duration 20 --sample-ms 500" ;;
      hold) echo "--clients 100000 --sources 1-8 --concurrency 500 --hold 5" ;;
    esac
  fi
}

# --- prerequisites ----------------------------------------------------------------
if [ ! -x "$CAFIO_NODE" ] || [ ! -x "$CAFIO_BENCH" ]; then
  log "building Release in $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD" --target cafio-node cafio-bench
fi
NODE="$(command -v node || command -v nodejs || true)"
if [ -z "$NODE" ] || [ ! -d "$ROOT/node_modules/socket.io" ]; then
  echo "run-bench: needs node and the npm packages (tools/setup/run-tests.sh installs them)" >&2
  exit 2
fi

# One descriptor per connection, in the servers and in the load generator.
want_fds=30000
[[ " $scenarios " == *" hold "* ]] && want_fds=250000
if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt "$want_fds" ]; then
  ulimit -Hn "$want_fds" 2>/dev/null || log "cannot raise the hard descriptor limit to $want_fds"
fi
ulimit -Sn "$(ulimit -Hn)"
fd_limit="$(ulimit -Hn)"
[ "$fd_limit" = unlimited ] && fd_limit=1048576

[ -n "$out" ] || out="$ROOT/build/bench/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

# --- servers ------------------------------------------------------------------------
server_pid=""
stop_server() {
  [ -n "$server_pid" ] || return 0
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  local status=0
  wait "$server_pid" 2>/dev/null || status=$?
  server_pid=""
  return "$status"
}
trap 'stop_server || true' EXIT
trap 'exit 130' INT TERM

# start_server LABEL PORT LOG: the started PID is the server itself.
start_server() {
  local label="$1" port="$2" logfile="$3"
  if [ "$label" = node ]; then
    "$NODE" "$NODE_APP" --host 127.0.0.1 --port "$port" >"$logfile" 2>&1 &
  else
    "$CAFIO_NODE" --app bench --host 127.0.0.1 --port "$port" >"$logfile" 2>&1 &
  fi
  server_pid=$!
  for _ in $(seq 100); do
    grep -q "127.0.0.1:$port" "$logfile" && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  log "$label did not start on port $port:"
  cat "$logfile" >&2
  stop_server || true
  return 1
}

# --- an idle machine ---------------------------------------------------------------
# Busy share of all cores over one second, from /proc/stat.
busy_share() {
  local a b
  read -r -a a </proc/stat
  sleep 1
  read -r -a b </proc/stat
  local busy=0 total=0 i d
  for i in 1 2 3 4 5 6 7 8; do
    d=$((b[i] - a[i]))
    total=$((total + d))
    [ "$i" -ne 4 ] && [ "$i" -ne 5 ] && busy=$((busy + d))
  done
  [ "$total" -gt 0 ] || total=1
  awk -v b="$busy" -v t="$total" 'BEGIN { printf "%.3f", b / t }'
}

# Waits (at most --idle-max seconds) until a one-second sample shows the
# machine below --idle-busy; says what it found either way.
wait_idle() {
  local started=$SECONDS share
  sleep 2  # what the previous run left behind (TCP teardown, exiting server)
  while :; do
    share="$(busy_share)"
    if awk -v s="$share" -v t="$idle_busy" 'BEGIN { exit !(s < t) }'; then
      log "machine idle: busy $share, loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
      echo "$share"
      return 0
    fi
    if [ $((SECONDS - started)) -ge "$idle_max" ]; then
      log "machine still busy ($share) after ${idle_max}s; running anyway"
      echo "$share"
      return 0
    fi
  done
}

# --- the runs -----------------------------------------------------------------------
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "command: $command_line"
  echo "host: $(uname -srm), nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "node: $("$NODE" --version), socket.io $(sed -n 's/.*"version": "\(.*\)".*/\1/p' "$ROOT/node_modules/socket.io/package.json" | head -n1)"
  echo "cafio: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "load generator threads: $threads"
} >"$out/run-info.txt"
cat "$out/run-info.txt" >&2

notes="$out/notes.txt"
: >"$notes"
mkdir -p "$out/tries"

# CPU used during the measurement by neither the server nor the load
# generator (other processes, softirq time charged to no process).
other_of() {
  grep -o '"other_cores_busy": [0-9.e+-]*' "$1" 2>/dev/null | head -n1 | awk '{ printf "%.3f", $2 }'
}

# run_once SCENARIO LABEL TRY: one fresh server, one cafio-bench run, files
# under tries/. Sets run_other to the run's other_cores_busy (9 when unknown).
# Not in a subshell: the EXIT trap must see server_pid.
run_once() {
  local scenario="$1" label="$2" try="$3"
  local port=$port_base
  [ "$label" = cafio ] && port=$((port_base + 1))
  local base="$out/tries/$label-$scenario.$try"
  local idle
  idle="$(wait_idle)"
  start_server "$label" "$port" "$base.server.log" || {
    echo "$scenario/$label try $try: server did not start" >>"$notes"
    run_other=9
    return 0
  }
  local args
  read -r -a args <<<"$(scenario_args "$scenario")"
  if [ "$scenario" = hold ]; then
    # Server and load generator each need one descriptor per connection.
    for i in "${!args[@]}"; do
      if [ "${args[$i]}" = --clients ] && [ "${args[$((i + 1))]}" -gt $((fd_limit - 500)) ]; then
        args[i + 1]=$((fd_limit - 500))
        echo "hold/$label: ulimit -n is $fd_limit here, so ${args[$((i + 1))]} connections" \
          "instead of 100,000" >>"$notes"
      fi
    done
  fi
  log "$scenario on $label (pid $server_pid, try $try): ${args[*]}"
  local rc=0
  "$CAFIO_BENCH" "$scenario" --host 127.0.0.1 --port "$port" --server-pid "$server_pid" \
    --label "$label" --threads "$threads" "${args[@]}" --json "$base.json" \
    >"$base.txt" 2>&1 || rc=$?
  cat "$base.txt" >&2
  local died=0
  if ! kill -0 "$server_pid" 2>/dev/null; then
    died=1
    local server_status=0
    wait "$server_pid" 2>/dev/null || server_status=$?
    server_pid=""
    echo "$scenario/$label try $try: the server died during the run (exit status $server_status)" \
      | tee -a "$notes" >&2
  fi
  stop_server || true
  [ "$rc" -ne 0 ] && echo "$scenario/$label try $try: cafio-bench exit status $rc" >>"$notes"
  run_other="$(other_of "$base.json")"
  [ -n "$run_other" ] || run_other=9
  # A crash is the result, however busy the machine was: not tried again.
  [ "$died" -eq 1 ] && run_other=0
  echo "$scenario/$label try $try: machine busy before $idle, other CPU during $run_other cores" \
    >>"$notes"
}

for scenario in $scenarios; do
  for label in node cafio; do
    # A run disturbed by other processes is tried again (bounded); the least
    # disturbed try is kept.
    best=""
    best_other=""
    # Setting up connections costs kernel (softirq) time charged to no
    # process: 0.4-0.6 cores on an idle machine here.
    limit=$max_other
    case "$scenario" in
      connect | hold) limit="$(awk -v m="$max_other" 'BEGIN { print (m > 0.7 ? m : 0.7) }')" ;;
    esac
    for try in $(seq $((retries + 1))); do
      run_once "$scenario" "$label" "$try"
      other="$run_other"
      if [ -z "$best" ] || awk -v a="$other" -v b="$best_other" 'BEGIN { exit !(a < b) }'; then
        best=$try
        best_other=$other
      fi
      awk -v a="$other" -v m="$limit" 'BEGIN { exit !(a <= m) }' && break
    done
    for ext in json txt server.log; do
      [ -f "$out/tries/$label-$scenario.$best.$ext" ] &&
        cp "$out/tries/$label-$scenario.$best.$ext" "$out/$label-$scenario.$ext"
    done
    echo "$scenario/$label: kept try $best (other CPU $best_other cores)" >>"$notes"
  done
done

shopt -s nullglob
results=("$out"/*-*.json)
if [ "${#results[@]}" -eq 0 ]; then
  log "no results"
  exit 1
fi
"$CAFIO_BENCH" compare --baseline node --markdown "$out/summary.md" "${results[@]}" \
  | tee "$out/summary.txt"
echo
cat "$notes"
log "results in $out"
