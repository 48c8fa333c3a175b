#!/usr/bin/env bash
# Memory per key: loads TOTAL objects (16-byte keys, 32-byte values) into a fresh node through
# the REST API and reports RSS growth per key and the overhead beyond the 48 bytes of key+value;
# then the same with a TTL on every object.
#   tools/bench/memory.sh              (TOTAL=1000000 by default; OVO_BIN=other/ovo to compare)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/common.sh
export TOTAL=${TOTAL:-1000000} THREADS=2
NODE_PORT=${NODE_PORT:-17070}
ensure_wrk
[ "$OVO_BIN" != build/ovo ] || tools/build.sh >/dev/null
trap 'stop_node' EXIT
printf '%-8s %10s %12s %14s %16s\n' ttl keys rss_mib bytes_per_key overhead_per_key
for ttl in 0 3600; do
  start_node "$NODE_PORT" '{}'
  before=$(rss_kib "$NODE_PID")
  # wrk sleeps its whole -d even after every thread stopped: watch the key count instead.
  TTL=$ttl wrk -t"$THREADS" -c50 -d600s -s tools/bench/load_unique.lua \
    "http://127.0.0.1:$NODE_PORT" >/dev/null &
  wrk_pid=$!
  keys=0
  for _ in $(seq 600); do
    sleep 1
    keys=$(key_count "$NODE_PORT")
    [ "$keys" -ge "$TOTAL" ] && break
  done
  sleep 1
  kill "$wrk_pid" 2>/dev/null || true
  wait "$wrk_pid" 2>/dev/null || true
  keys=$(key_count "$NODE_PORT")
  after=$(rss_kib "$NODE_PID")
  awk -v t="$ttl" -v k="$keys" -v b="$before" -v a="$after" 'BEGIN {
    per = (a - b) * 1024 / k
    printf "%-8s %10d %12.1f %14.1f %16.1f\n", t, k, a / 1024, per, per - 48 }'
  stop_node
done
