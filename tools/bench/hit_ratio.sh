#!/usr/bin/env bash
# Hit ratio of the memory cap (docs/memory.md): one look-aside trace (hit_ratio.py: Zipf 0.9,
# 500k requests over 200k keys, 200-byte values) replayed in the same run against one OVO node
# (MaxMemoryBytes = CAP, EvictionPolicy clock) and against redis-server (maxmemory = CAP,
# allkeys-lru). Prints both hit ratios, the keys each held at the end, and RSS against the cap.
#   tools/bench/hit_ratio.sh              (CAP=14680064 by default: ~23-29% of the keys fit)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/common.sh
CAP=${CAP:-14680064}
NODE_PORT=${NODE_PORT:-17080}
REDIS_PORT=${REDIS_PORT:-17090}
command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server; }
tools/build.sh >/dev/null
redis_pid=""
cleanup() {
  stop_node
  [ -z "$redis_pid" ] || { kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null || true; }
}
trap cleanup EXIT

start_node "$NODE_PORT" "{\"MaxMemoryBytes\":$CAP,\"EvictionPolicy\":\"clock\"}"
ovo=$(python3 tools/bench/hit_ratio.py ovo "127.0.0.1:$NODE_PORT")
ovo_rss=$(rss_kib "$NODE_PID")
ovo_keys=$(key_count "$NODE_PORT")
ovo_stored=$(curl -s "http://127.0.0.1:$NODE_PORT/metrics" | awk '/^ovo_stored_bytes / {print $2}')

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
  --maxmemory "$CAP" --maxmemory-policy allkeys-lru >/dev/null 2>&1 &
redis_pid=$!
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis=$(python3 tools/bench/hit_ratio.py redis "127.0.0.1:$REDIS_PORT")
redis_rss=$(rss_kib "$redis_pid")
redis_keys=$(redis-cli -p "$REDIS_PORT" dbsize)

ratio() { sed 's/.*"hit_ratio": \([0-9.]*\).*/\1/' <<<"$1"; }
printf '%-6s %10s %10s %12s %10s\n' target hit_ratio keys_held rss_mib cap_mib
awk -v r="$(ratio "$ovo")" -v k="$ovo_keys" -v rss="$ovo_rss" -v cap="$CAP" \
  'BEGIN { printf "%-6s %10s %10d %12.1f %10.1f\n", "ovo", r, k, rss / 1024, cap / 1048576 }'
awk -v r="$(ratio "$redis")" -v k="$redis_keys" -v rss="$redis_rss" -v cap="$CAP" \
  'BEGIN { printf "%-6s %10s %10d %12.1f %10.1f\n", "redis", r, k, rss / 1024, cap / 1048576 }'
echo "ovo accounted bytes at the end: $ovo_stored"
