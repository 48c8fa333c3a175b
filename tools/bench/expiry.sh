#!/usr/bin/env bash
# GET latency while a wave of keys expires: loads TOTAL keys (16-byte keys, 32-byte values) with
# a TTL of TTL seconds, measures GET p99 once before any of them expires and once while they
# expire, and prints both with their ratio.
#   tools/bench/expiry.sh          (TOTAL=1000000 TTL=90 WINDOW=10s by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/common.sh
export TOTAL=${TOTAL:-1000000} THREADS=2
TTL_SECONDS=${TTL:-90}
WINDOW=${WINDOW:-10s}
NODE_PORT=${NODE_PORT:-17080}
ensure_wrk
tools/build.sh >/dev/null
trap 'stop_node' EXIT
start_node "$NODE_PORT" '{}'
curl -sf -X PUT "http://127.0.0.1:$NODE_PORT/ovo/keystorage" \
  -d "{\"Key\":\"bench-hit\",\"Data\":\"$(head -c 100 /dev/zero | base64 -w0)\"}" >/dev/null

p99_ms() {
  wrk -t2 -c50 -d"$WINDOW" --latency -s tools/bench/get.lua "http://127.0.0.1:$NODE_PORT" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "99%" { print ms($2) }'
}

load_started=$(date +%s)
TTL=$TTL_SECONDS load_unique_keys "$NODE_PORT"
loaded=$(key_count "$NODE_PORT")
load_seconds=$(($(date +%s) - load_started))
if ((load_seconds + 15 >= TTL_SECONDS)); then
  echo "loading took ${load_seconds}s: raise TTL above $((load_seconds + 15))s" >&2
  exit 1
fi
quiet=$(p99_ms)
sleep $((load_started + TTL_SECONDS + 1 - $(date +%s)))
during=$(p99_ms)
left=$(key_count "$NODE_PORT")
printf 'keys %d loaded in %ds with TTL %ds; GET p99 %s ms before expiry, %s ms during the sweep (%.2fx); %d keys left after the window\n' \
  "$loaded" "$load_seconds" "$TTL_SECONDS" "$quiet" "$during" "$(awk -v a="$during" -v b="$quiet" 'BEGIN { print a / b }')" "$left"
