#!/usr/bin/env bash
# GET latency while GET /ovo/keys lists every key of a big node: loads TOTAL keys (16-byte keys,
# 32-byte values), measures GET p99 idle, then while /ovo/keys is fetched back to back for the
# same window, and prints both, their ratio, and how long one listing took.
#   tools/bench/keys_listing.sh    (TOTAL=1000000 WINDOW=10s; OVO_BIN=other/ovo to compare)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/common.sh
export TOTAL=${TOTAL:-1000000} THREADS=2
WINDOW=${WINDOW:-10s}
NODE_PORT=${NODE_PORT:-17090}
ensure_wrk
[ "$OVO_BIN" != build/ovo ] || tools/build.sh >/dev/null
lister=
trap '[ -z "$lister" ] || kill "$lister" 2>/dev/null; stop_node' EXIT
start_node "$NODE_PORT" '{}'
put_key "$NODE_PORT" bench-hit

p99_ms() {
  wrk -t2 -c50 -d"$WINDOW" --latency -s tools/bench/get.lua "http://127.0.0.1:$NODE_PORT" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "99%" { print ms($2) }'
}

load_unique_keys "$NODE_PORT"
idle=$(p99_ms)
# Listings back to back, each timed; at most 200 of them, and none after the window.
(for _ in $(seq 200); do
  curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$NODE_PORT/ovo/keys"
done >"$NODE_DIR/listings.txt") &
lister=$!
during=$(p99_ms)
kill "$lister" 2>/dev/null || true
wait "$lister" 2>/dev/null || true
lister=
listing=$(sort -n "$NODE_DIR/listings.txt" | awk '{ t[NR] = $1 } END { printf "%.2f", t[int((NR + 1) / 2)] }')
printf 'keys %d; GET p99 %s ms idle, %s ms while /ovo/keys answers (%.2fx); one listing %s s (median of %d)\n' \
  "$(key_count "$NODE_PORT")" "$idle" "$during" "$(awk -v a="$during" -v b="$idle" 'BEGIN { print a / b }')" \
  "$listing" "$(wc -l <"$NODE_DIR/listings.txt")"
