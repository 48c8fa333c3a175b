#!/usr/bin/env bash
# GET latency while a wave of keys expires: loads TOTAL keys (16-byte keys, 32-byte values) with
# a TTL of TTL seconds, measures GET p99 idle (WINDOW, before any key is due) and over the whole
# wave (from the first deadline until the last one plus two sweeps), and prints both, their ratio
# (issue 15's target: < 2x) and when the last key was gone. The deadlines spread over the time
# the load took; SWEEP_MS (the node's ExpirySweepMs) sets how many fall due at once:
# SWEEP_MS=30000 makes a sweep find 30 s worth of keys due.
#   tools/bench/expiry.sh   (TOTAL=1000000 TTL=90 WINDOW=10s SWEEP_MS=1000; OVO_BIN=other/ovo)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/common.sh
export TOTAL=${TOTAL:-1000000} THREADS=2
TTL_SECONDS=${TTL:-90}
WINDOW=${WINDOW:-10s}
SWEEP_MS=${SWEEP_MS:-1000}
NODE_PORT=${NODE_PORT:-17080}
ensure_wrk
[ "$OVO_BIN" != build/ovo ] || tools/build.sh >/dev/null
watcher=
trap '[ -z "$watcher" ] || kill "$watcher" 2>/dev/null; stop_node' EXIT
start_node "$NODE_PORT" "{\"ExpirySweepMs\":$SWEEP_MS}"
put_key "$NODE_PORT" bench-hit

# GET p99 (ms) of a hit over $1 with 50 connections (common.sh's measure).
p99_ms() { CONNECTIONS=50 DURATION=$1 measure "$NODE_PORT" get.lua | awk '{ print $3 }'; }

# Prints the seconds since $1 (epoch) at which only bench-hit is left, polling every 0.5 s.
gone_after() {
  while [ "$(key_count "$NODE_PORT")" -gt 1 ]; do sleep 0.5; done
  awk -v s="$1" -v now="$(date +%s.%N)" 'BEGIN { printf "%.1f", now - s }'
}

load_started=$(date +%s)
TTL=$TTL_SECONDS load_unique_keys "$NODE_PORT"
loaded=$(($(key_count "$NODE_PORT") - 1))
load_seconds=$(($(date +%s) - load_started))
if ((load_seconds + 15 >= TTL_SECONDS)); then
  echo "loading took ${load_seconds}s: raise TTL above $((load_seconds + 15))s" >&2
  exit 1
fi
idle=$(p99_ms "$WINDOW")
first_due=$((load_started + TTL_SECONDS))
sleep $((first_due - $(date +%s)))
gone_after "$first_due" >"$NODE_DIR/gone.txt" &
watcher=$!
during=$(p99_ms "$((load_seconds + 2 * SWEEP_MS / 1000 + 3))s")
wait "$watcher" 2>/dev/null || true
watcher=
printf 'keys %d loaded in %ds with TTL %ds, sweeps every %d ms; GET p99 %s ms idle, %s ms during the wave (%.2fx, target < 2x); the last key was gone %s s after the first deadline\n' \
  "$loaded" "$load_seconds" "$TTL_SECONDS" "$SWEEP_MS" "$idle" "$during" \
  "$(awk -v a="$during" -v b="$idle" 'BEGIN { print a / b }')" "$(cat "$NODE_DIR/gone.txt")"
