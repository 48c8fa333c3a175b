#!/usr/bin/env bash
# Restart recovery: loads TOTAL objects (16-byte keys, 32-byte values) into a 3-node cluster,
# kills node 2 with kill -9, restarts it from its .temp 5 s later, and reports how long after
# its start it answered a read of one of its keys, and how long until it held as many entries
# as before the kill (its slots' data back).
#   tools/bench/restart.sh            (TOTAL=100000 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/common.sh
export TOTAL=${TOTAL:-100000} THREADS=2
BASE_PORT=${BASE_PORT:-17400}
ensure_wrk
tools/build.sh >/dev/null
DIR=$(mktemp -d /tmp/ovo-restart-XXXXXX)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DIR"' EXIT

now() { date +%s.%N; }

topology="$(node_entry 1),$(node_entry 2),$(node_entry 3)"
for k in 1 2 3; do
  echo "{\"ServerNode\":$(node_entry "$k"),\"Topology\":{\"Nodes\":[$topology]}}" > "$DIR/n$k.json"
  start_numbered "$k" "$DIR/n$k.json"
done
sleep 2
load_three_nodes
sleep 1
before=$(key_count "$(rest_port 2)")
probe=$(curl -s "http://127.0.0.1:$(rest_port 2)/ovo/keys" | sed 's/.*"Keys":\["\([^"]*\)".*/\1/')
echo "node 2 holds $before entries; killing it"
kill -9 "${PIDS[2]}"
sleep 5
started=$(now)
start_numbered 2 "$DIR/n2.json.temp"
answered=""
for _ in $(seq 600); do
  if [ -z "$answered" ] &&
     [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(rest_port 2)/ovo/keystorage/$probe")" = 200 ]; then
    answered=$(now)
  fi
  [ "$(key_count "$(rest_port 2)")" -ge "$before" ] && break
  sleep 0.05
done
back=$(now)
awk -v s="$started" -v a="${answered:-$back}" -v b="$back" -v n="$(key_count "$(rest_port 2)")" -v w="$before" 'BEGIN {
  printf "restarted node: first read of one of its keys %.2f s after its start; %d of %d entries back after %.2f s\n", a - s, n, w, b - s }'
