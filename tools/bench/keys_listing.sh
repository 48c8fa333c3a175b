#!/usr/bin/env bash
# GET latency while GET /ovo/keys lists every key of a big node, and while a scan walks them:
# loads TOTAL keys (16-byte keys, 32-byte values), measures GET p99 idle, then while /ovo/keys is
# fetched back to back, idle again, then while GET /ovo/scan walks the whole node back to back
# (count=1000), idle again, each for the same window, and prints the p99s, their ratios to the
# mean of the idle windows around them, and how long one listing took on the idle node and under
# load, and one whole scan under load. The idle p99 of one window can move by several times on a
# shared machine; a ratio whose two idle windows differ by more than 1.5x is marked "(noisy)".
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

# GET p99 (ms) of a hit over WINDOW with 50 connections (common.sh's measure).
p99_ms() { CONNECTIONS=50 DURATION=$WINDOW measure "$NODE_PORT" get.lua | awk '{ print $3 }'; }

# scan_walks PORT: walks the whole node with GET /ovo/scan (count=1000) back to back, at most 200
# walks; prints the seconds each walk took. exec: stopping the background job stops the walker.
scan_walks() {
  exec python3 - "$1" <<'PY'
import json, sys, time, urllib.request
port = sys.argv[1]
for _ in range(200):
    started, cursor = time.monotonic(), "0"
    while True:
        url = f"http://127.0.0.1:{port}/ovo/scan?count=1000&cursor={cursor}"
        cursor = json.load(urllib.request.urlopen(url))["Data"]["Cursor"]
        if cursor == "0":
            break
    print(f"{time.monotonic() - started:.3f}", flush=True)
PY
}

# median FILE: the median of the numbers in FILE, one a line.
median() { sort -n "$1" | awk '{ t[NR] = $1 } END { printf "%.2f", t[int((NR + 1) / 2)] }'; }

# p99_while OUT COMMAND...: GET p99 (ms) while COMMAND runs in the background, its output kept
# in $NODE_DIR/OUT; COMMAND and its children (a curl under way) are stopped at the end of the
# window. One file per phase: a curl that outlived its loop once wrote into the next phase's.
p99_while() {
  local out=$NODE_DIR/$1
  shift
  "$@" >"$out" &
  lister=$!
  p99_ms
  pkill -P "$lister" 2>/dev/null || true
  kill "$lister" 2>/dev/null || true
  wait "$lister" 2>/dev/null || true
  lister=
}

listings() {
  for _ in $(seq 200); do curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$1/ovo/keys"; done
}

load_unique_keys "$NODE_PORT"
idle_listing=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$NODE_PORT/ovo/keys")
idle_before=$(p99_ms)
with_keys=$(p99_while listings.txt listings "$NODE_PORT")
listing=$(median "$NODE_DIR/listings.txt")
listed=$(wc -l <"$NODE_DIR/listings.txt")
idle_between=$(p99_ms)
with_scan=$(p99_while scans.txt scan_walks "$NODE_PORT")
walk=$(median "$NODE_DIR/scans.txt")
walked=$(wc -l <"$NODE_DIR/scans.txt")
idle_after=$(p99_ms)
# ratio P99 IDLE1 IDLE2: P99 over the mean of the idle windows around it, "(noisy)" when they
# differ by more than 1.5x.
ratio() {
  awk -v a="$1" -v b="$2" -v c="$3" 'BEGIN {
    printf "%.2fx", 2 * a / (b + c)
    if (b > 1.5 * c || c > 1.5 * b) printf " (noisy)"
  }'
}
printf 'keys %d; GET p99 idle %s, %s, %s ms (before, between, after); one listing %.2f s idle\n' \
  "$(key_count "$NODE_PORT")" "$idle_before" "$idle_between" "$idle_after" "$idle_listing"
printf '  while /ovo/keys answers: %s ms (%s); one listing %s s (median of %d)\n' \
  "$with_keys" "$(ratio "$with_keys" "$idle_before" "$idle_between")" "$listing" "$listed"
printf '  while a scan walks every key: %s ms (%s); one whole scan %s s (median of %d)\n' \
  "$with_scan" "$(ratio "$with_scan" "$idle_between" "$idle_after")" "$walk" "$walked"
