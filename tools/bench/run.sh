#!/usr/bin/env bash
# Throughput and latency of the node beside a bare Pistache server (the baseline), measured
# alternately in the same run so machine noise hits both. Prints a table and writes JSON.
#   tools/bench/run.sh                   (DURATION=10s CONNECTIONS=50 ROUNDS=3 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/common.sh
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-50}
ROUNDS=${ROUNDS:-3}
REST_THREADS=${REST_THREADS:-2}
NODE_PORT=${NODE_PORT:-17050}
HELLO_PORT=${HELLO_PORT:-17060}
OUT=${OUT:-bench-results}

ensure_wrk
tools/build.sh >/dev/null
start_node "$NODE_PORT" "{\"RestThreads\":$REST_THREADS}"
build/tools/bench/ovo_bench_hello "$HELLO_PORT" "$REST_THREADS" &
HELLO_PID=$!
trap 'stop_node; kill $HELLO_PID 2>/dev/null || true' EXIT
wait_for_http "http://127.0.0.1:$HELLO_PORT/"
curl -sf -X PUT "http://127.0.0.1:$NODE_PORT/ovo/keystorage" \
  -d "{\"Key\":\"bench-hit\",\"Data\":\"$(head -c 100 /dev/zero | base64 -w0)\"}" >/dev/null

# Runs wrk; prints "rps p50_ms p99_ms".
measure() {
  local port=$1 script=$2
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "tools/bench/$script" \
    "http://127.0.0.1:$port" | awk '
      function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
      /Requests\/sec/ { rps = $2 }
      $1 == "50%" { p50 = ms($2) }
      $1 == "99%" { p99 = ms($2) }
      END { printf "%.0f %.3f %.3f\n", rps, p50, p99 }'
}

# The median of ROUNDS values, each "rps p50 p99", by rps.
median() { sort -n | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }'; }

cases=("get_hit:get.lua:" "get_miss:get_miss.lua:" "put_100B:put.lua:100" "put_4KiB:put.lua:4096"
       "counter_add:counter.lua:")
revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
mkdir -p "$OUT"
json="$OUT/$(date -u +%Y%m%dT%H%M%SZ)-$revision.json"
printf '%-12s %10s %8s %8s %10s %8s %8s %7s\n' case node_rps p50_ms p99_ms base_rps p50_ms p99_ms ratio
echo "{\"revision\":\"$revision\",\"duration\":\"$DURATION\",\"connections\":$CONNECTIONS,\"cases\":[" >"$json"
first=1
for entry in "${cases[@]}"; do
  IFS=: read -r name script value_bytes <<<"$entry"
  export VALUE_BYTES=${value_bytes:-100}
  node_runs=() base_runs=()
  for _ in $(seq "$ROUNDS"); do
    base_runs+=("$(measure "$HELLO_PORT" "$script")")
    node_runs+=("$(measure "$NODE_PORT" "$script")")
  done
  read -r n_rps n_p50 n_p99 < <(printf '%s\n' "${node_runs[@]}" | median)
  read -r b_rps b_p50 b_p99 < <(printf '%s\n' "${base_runs[@]}" | median)
  ratio=$(awk -v n="$n_rps" -v b="$b_rps" 'BEGIN { printf "%.2f", n / b }')
  printf '%-12s %10s %8s %8s %10s %8s %8s %7s\n' "$name" "$n_rps" "$n_p50" "$n_p99" "$b_rps" "$b_p50" "$b_p99" "$ratio"
  [ $first = 1 ] || echo "," >>"$json"
  first=0
  printf '{"case":"%s","node":{"rps":%s,"p50_ms":%s,"p99_ms":%s},"baseline":{"rps":%s,"p50_ms":%s,"p99_ms":%s},"ratio":%s}' \
    "$name" "$n_rps" "$n_p50" "$n_p99" "$b_rps" "$b_p50" "$b_p99" "$ratio" >>"$json"
done
echo "]}" >>"$json"
echo "results: $json"
