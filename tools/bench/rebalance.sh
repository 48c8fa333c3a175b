#!/usr/bin/env bash
# Rebalance rate: loads TOTAL objects (16-byte keys, 32-byte values) into a 3-node cluster,
# starts a fourth node, and reports what the rebalancing passes moved and how fast (from the
# nodes' "pass done" log lines), plus the wall time until every key had its two copies again.
#   tools/bench/rebalance.sh            (TOTAL=200000 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/common.sh
export TOTAL=${TOTAL:-200000} THREADS=2
BASE_PORT=${BASE_PORT:-17100}
ensure_wrk
tools/build.sh >/dev/null
DIR=$(mktemp -d /tmp/ovo-rebalance-XXXXXX)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DIR"' EXIT

start() {
  local topology
  topology="$(node_entry 1),$(node_entry 2),$(node_entry 3)"
  [ "$1" -gt 3 ] && topology="$topology,$(node_entry "$1")"
  echo "{\"ServerNode\":$(node_entry "$1"),\"Topology\":{\"Nodes\":[$topology]}}" > "$DIR/n$1.json"
  start_numbered "$1" "$DIR/n$1.json"
}

for k in 1 2 3; do start "$k"; done
sleep 2
load_three_nodes
keys=$(( $(stored 1 2 3) / 2 ))
echo "loaded $keys keys into 3 nodes ($(stored 1 2 3) copies)"

started=$(date +%s.%N)
start 4
# Done when the copies add up again and node 4 holds its share.
for _ in $(seq 1200); do
  sleep 0.25
  total=$(stored 1 2 3 4)
  [ "$total" -eq $((2 * keys)) ] && [ "$(key_count "$(rest_port 4)")" -gt 0 ] && break
done
finished=$(date +%s.%N)
echo "fourth node joined; copies: $(stored 1 2 3 4) (expected $((2 * keys)))"
grep -h "pass done" "$DIR"/n*.log | grep -v " 0 entries" | sed 's/^/  /' | tail -8
awk -v s="$started" -v f="$finished" -v k="$keys" 'BEGIN {
  printf "join to settled: %.2f s for %d keys in the cluster\n", f - s, k }'
grep -h "pass done" "$DIR"/n*.log | awk -v s="$started" '
  { for (i = 1; i <= NF; i++) { if ($i == "entries") e += $(i - 1); if ($i == "ms") { if ($(i - 1) > m) m = $(i - 1) } } }
  END { if (m > 0) printf "moved %d entries; slowest pass %d ms; %.0f entries/s per pass (all passes run in parallel)\n", e, m, e * 1000 / m }'
