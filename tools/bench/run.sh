#!/usr/bin/env bash
# Throughput and latency of the node beside a bare Pistache server (the baseline), measured
# alternately in the same run so machine noise hits both. Single-node cases, then a 2-node
# cluster (replicated PUT, forwarded GET). Prints a table and writes JSON with the git revision.
#   tools/bench/run.sh                   (DURATION=10s CONNECTIONS=50 ROUNDS=3 by default)
#   CASES="put_100B put_100B_replicated" tools/bench/run.sh   (only the cases named)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/common.sh
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-50}
ROUNDS=${ROUNDS:-3}
REST_THREADS=${REST_THREADS:-2}
NODE_PORT=${NODE_PORT:-17050}
HELLO_PORT=${HELLO_PORT:-17060}
CLUSTER_PORT=${CLUSTER_PORT:-17100}
OUT=${OUT:-bench-results}
SINGLE_CASES="get_hit get_miss put_100B put_4KiB counter_add"
CLUSTER_CASES="put_100B_replicated get_forwarded"
CASES=${CASES:-$SINGLE_CASES $CLUSTER_CASES}
for name in $CASES; do
  [[ " $SINGLE_CASES $CLUSTER_CASES " == *" $name "* ]] || { echo "unknown case $name" >&2; exit 2; }
done
selected() { [[ " $CASES " == *" $1 "* ]]; }
any_selected() { for name in "$@"; do selected "$name" && return 0; done; return 1; }

ensure_wrk
tools/build.sh >/dev/null
WORK=$(mktemp -d /tmp/ovo-bench-run-XXXXXX)
CLUSTER_PIDS=()
cleanup() {
  stop_node
  stop_cluster
  kill "$HELLO_PID" 2>/dev/null || true
  wait "$HELLO_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
start_node "$NODE_PORT" "{\"RestThreads\":$REST_THREADS}"
build/tools/bench/ovo_bench_hello "$HELLO_PORT" "$REST_THREADS" &
HELLO_PID=$!
wait_for_http "http://127.0.0.1:$HELLO_PORT/"
put_key "$NODE_PORT" bench-hit

revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
mkdir -p "$OUT"
json="$OUT/$(date -u +%Y%m%dT%H%M%SZ)-$revision.json"
echo "{\"revision\":\"$revision\",\"duration\":\"$DURATION\",\"connections\":$CONNECTIONS,\"cases\":[" >"$json"
first_case=1
printf '%-20s %10s %8s %8s %10s %8s %8s %7s\n' case node_rps p50_ms p99_ms base_rps p50_ms p99_ms ratio

# run_case NAME PORT SCRIPT: ROUNDS alternating runs against the node at PORT and the baseline.
# Sets NODE_RPS[NAME] and BASE_RPS[NAME].
declare -A NODE_RPS BASE_RPS
run_case() {
  local name=$1 port=$2 script=$3 node_runs=() base_runs=()
  selected "$name" || return 0
  for _ in $(seq "$ROUNDS"); do
    base_runs+=("$(measure "$HELLO_PORT" "$script")")
    node_runs+=("$(measure "$port" "$script")")
  done
  read -r n_rps n_p50 n_p99 < <(printf '%s\n' "${node_runs[@]}" | median)
  read -r b_rps b_p50 b_p99 < <(printf '%s\n' "${base_runs[@]}" | median)
  local ratio
  ratio=$(awk -v n="$n_rps" -v b="$b_rps" 'BEGIN { printf "%.2f", n / b }')
  printf '%-20s %10s %8s %8s %10s %8s %8s %7s\n' "$name" "$n_rps" "$n_p50" "$n_p99" "$b_rps" "$b_p50" "$b_p99" "$ratio"
  NODE_RPS[$name]=$n_rps
  BASE_RPS[$name]=$b_rps
  [ $first_case = 1 ] || echo "," >>"$json"
  first_case=0
  printf '{"case":"%s","node":{"rps":%s,"p50_ms":%s,"p99_ms":%s},"baseline":{"rps":%s,"p50_ms":%s,"p99_ms":%s},"ratio":%s}' \
    "$name" "$n_rps" "$n_p50" "$n_p99" "$b_rps" "$b_p50" "$b_p99" "$ratio" >>"$json"
}

run_case get_hit "$NODE_PORT" get.lua
KEY=bench-never-written run_case get_miss "$NODE_PORT" get.lua
VALUE_BYTES=100 run_case put_100B "$NODE_PORT" put.lua
VALUE_BYTES=4096 run_case put_4KiB "$NODE_PORT" put.lua
run_case counter_add "$NODE_PORT" counter.lua
stop_node

if any_selected $CLUSTER_CASES; then
  start_cluster "$CLUSTER_PORT" "$WORK"
  KEYS_FILE="$WORK/keys_b1" VALUE_BYTES=100 run_case put_100B_replicated "$CLUSTER_PORT" put.lua
  KEY=$FORWARDED_KEY run_case get_forwarded "$((CLUSTER_PORT + 10))" get.lua
fi
echo "]}" >>"$json"
# The cluster targets compare with the single node measured above: in raw rps, and with each
# case first divided by its own baseline, which takes out the machine's speed changing between
# the two cases (they run minutes apart).
cluster_ratio() {
  [ -n "${NODE_RPS[$1]:-}" ] && [ -n "${NODE_RPS[$2]:-}" ] || return 0
  awk -v t="$1 / $2" -v a="${NODE_RPS[$1]}" -v b="${NODE_RPS[$2]}" \
    -v ba="${BASE_RPS[$1]}" -v bb="${BASE_RPS[$2]}" 'BEGIN {
      printf "%-34s %.2f (against their baselines: %.2f)\n", t, a / b, (a / ba) / (b / bb) }'
}
cluster_ratio put_100B_replicated put_100B
cluster_ratio get_forwarded get_hit
echo "results: $json"
