#!/usr/bin/env bash
# Interleaved A/B of two ovo builds: ROUNDS times, each build in turn serves GET hit, PUT 100 B
# and counter increments (of one counter, and of 1,000) as a single node, then a replicated PUT
# and a forwarded GET as a 2-node cluster. Runs
# minutes apart differ by 20-30% on a shared machine; alternating the builds cancels most of it.
#   cp build/ovo /tmp/ovo-before; <change, rebuild>; tools/bench/compare.sh /tmp/ovo-before build/ovo
#   (DURATION=5s CONNECTIONS=50 ROUNDS=3 REST_THREADS=2 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/common.sh
[ $# -eq 2 ] && [ -x "$1" ] && [ -x "$2" ] || { echo "usage: $0 OLD_OVO_BINARY NEW_OVO_BINARY" >&2; exit 2; }
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-50}
ROUNDS=${ROUNDS:-3}
REST_THREADS=${REST_THREADS:-2}
NODE_PORT=${NODE_PORT:-17080}
CLUSTER_PORT=${CLUSTER_PORT:-17120}
CASES="get_hit put_100B counter_add counter_add_1000 put_100B_replicated get_forwarded"

ensure_wrk
tools/build.sh >/dev/null  # the load tools (slot keys) come from this tree
WORK=$(mktemp -d /tmp/ovo-bench-compare-XXXXXX)
CLUSTER_PIDS=()
cleanup() {
  stop_node
  stop_cluster
  rm -rf "$WORK"
}
trap cleanup EXIT

# One round of every case with $OVO_BIN; appends "case rps" lines to $WORK/<label>.
round() {
  local label=$1
  start_node "$NODE_PORT" "{\"RestThreads\":$REST_THREADS}"
  put_key "$NODE_PORT" bench-hit
  echo "get_hit $(measure "$NODE_PORT" get.lua)" >>"$WORK/$label"
  echo "put_100B $(VALUE_BYTES=100 measure "$NODE_PORT" put.lua)" >>"$WORK/$label"
  echo "counter_add $(measure "$NODE_PORT" counter.lua)" >>"$WORK/$label"
  echo "counter_add_1000 $(COUNTERS=1000 measure "$NODE_PORT" counter.lua)" >>"$WORK/$label"
  stop_node
  start_cluster "$CLUSTER_PORT" "$WORK"
  measure_cluster_cases "$CLUSTER_PORT" "$WORK" >>"$WORK/$label"
  stop_cluster
}

for _ in $(seq "$ROUNDS"); do
  OVO_BIN=$1 round old
  OVO_BIN=$2 round new
done

printf '%-22s %10s %10s %8s\n' case old_rps new_rps new/old
for name in $CASES; do
  old=$(median_rps "$name" "$WORK/old")
  new=$(median_rps "$name" "$WORK/new")
  printf '%-22s %10s %10s %8s\n' "$name" "$old" "$new" "$(awk -v a="$old" -v b="$new" 'BEGIN { printf "%.2f", b / a }')"
done
for label in old new; do
  awk -v l="$label" '{ rps[$1] = rps[$1] " " $2 } END {
    printf "%s: replicated/node PUT and forwarded/direct GET per round:", l
    split(rps["put_100B_replicated"], r); split(rps["put_100B"], p)
    split(rps["get_forwarded"], f); split(rps["get_hit"], g)
    for (i = 1; i in r; ++i) printf " %.2f/%.2f", r[i] / p[i], f[i] / g[i]
    print ""
  }' "$WORK/$label"
done
