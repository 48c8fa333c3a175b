#!/usr/bin/env bash
# User-space instructions per request of the node and of the bare Pistache baseline, counted by
# callgrind while wrk runs. Unlike rps on this shared machine the count hardly moves between
# runs, so it shows what a change costs per request even when it is a few percent. System calls
# and the kernel are not counted: that half of the CPU is the same for both servers.
#   tools/bench/instructions.sh   (CASES="get_hit put_100B put_4KiB counter_add", DURATION=10s)
# Prints a table and, per case, where the node's instructions go (inclusive, per request).
# The callgrind files stay in $OUT/callgrind-<time>/ for callgrind_annotate --inclusive=yes.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/common.sh
DURATION=${DURATION:-10s}
CASES=${CASES:-get_hit put_100B put_4KiB counter_add}
NODE_PORT=${NODE_PORT:-17350}
HELLO_PORT=${HELLO_PORT:-17360}
OUT=${OUT:-bench-results}

ensure_wrk
command -v callgrind_control >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }
tools/build.sh >/dev/null
revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
DIR="$OUT/callgrind-$(date -u +%Y%m%dT%H%M%SZ)-$revision"
mkdir -p "$DIR"
WORK=$(mktemp -d /tmp/ovo-bench-instr-XXXXXX)
PIDS=()
cleanup() {
  [ ${#PIDS[@]} -eq 0 ] || kill "${PIDS[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# start_counted NAME CMD...: runs CMD under callgrind; count() zeroes and dumps its counters.
start_counted() {
  local name=$1
  shift
  valgrind --tool=callgrind --callgrind-out-file="$DIR/$name" "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
}

cat >"$WORK/node.json" <<CONF
{"ServerNode":{"Node":{"Name":"bench","Host":"127.0.0.1","Port":$NODE_PORT,"APIHost":"127.0.0.1","APIPort":$((NODE_PORT + 1))}},
 "Settings":{"RestThreads":2}}
CONF
start_counted node "$OVO_BIN" -conf="$WORK/node.json"
NODE_VG=${PIDS[-1]}
start_counted hello build/tools/bench/ovo_bench_hello "$HELLO_PORT" 2
HELLO_VG=${PIDS[-1]}
# Under valgrind a server takes seconds to start.
wait_for_http "http://127.0.0.1:$NODE_PORT/ovo/cluster/me" 600
wait_for_http "http://127.0.0.1:$HELLO_PORT/" 600
put_key "$NODE_PORT" bench-hit

# count NAME PID PORT SCRIPT: zeroes NAME's counters, runs wrk, dumps; sets REQUESTS and DUMP.
declare -A DUMPS
count() {
  local name=$1 pid=$2 port=$3 script=$4
  callgrind_control -z "$pid" >/dev/null 2>&1
  REQUESTS=$(wrk -t1 -c4 -d"$DURATION" -s "tools/bench/$script" "http://127.0.0.1:$port" |
    awk '/requests in/ { print $1 }')
  callgrind_control -d "$pid" >/dev/null 2>&1
  DUMPS[$name]=$((${DUMPS[$name]:-0} + 1))
  DUMP="$DIR/$name.${DUMPS[$name]}"
}

# per_request FILE REQUESTS: instructions per request in a dump.
per_request() { awk -v r="$2" '/^summary:/ { printf "%.0f", $2 / r }' "$1"; }

# Where the node's instructions go: inclusive counts of the steps of a request, in this order.
breakdown() {
  local file=$1 requests=$2
  callgrind_annotate --inclusive=yes --threshold=100 "$file" 2>/dev/null | awk -v r="$requests" '
    BEGIN {
      steps = split("HTTP parsing (Pistache)|Http::Private::ParserBase::parse()|" \
                    "our handler (onRequest)|ovo::ovo_handler::onRequest(|" \
                    "  request to command (path, JSON body)|ovo::build_command(|" \
                    "  route: actor message and its turn|ovo::local_node::route(|" \
                    "    answer: envelope and send|http_reply_sink::deliver(|" \
                    "      JSON envelope|ovo::encode_envelope|" \
                    "      writing the response (Pistache)|Http::ResponseWriter::sendImpl(|" \
                    "malloc|malloc.c:malloc [|free|malloc.c:free [", part, "|") / 2
      for (i = 1; i <= steps; ++i) { label[i] = part[2 * i - 1]; pattern[i] = part[2 * i] }
    }
    /\?\?\?:|\.c:/ {
      n = $1; gsub(",", "", n)
      for (i = 1; i <= steps; ++i) if (!(i in count) && index($0, pattern[i])) count[i] = n
    }
    END { for (i = 1; i <= steps; ++i) printf "    %-42s %9.0f\n", label[i], count[i] / r }'
}

json="$OUT/$(date -u +%Y%m%dT%H%M%SZ)-$revision-instructions.json"
echo "{\"revision\":\"$revision\",\"duration\":\"$DURATION\",\"cases\":[" >"$json"
printf '%-14s %14s %14s %7s\n' case node_instr/req base_instr/req ratio
first=1
run_case() {
  local name=$1 script=$2 n_req n_file b_req b_file n b ratio
  [[ " $CASES " == *" $name "* ]] || return 0
  count hello "$HELLO_VG" "$HELLO_PORT" "$script"
  b_req=$REQUESTS b_file=$DUMP
  count node "$NODE_VG" "$NODE_PORT" "$script"
  n_req=$REQUESTS n_file=$DUMP
  n=$(per_request "$n_file" "$n_req")
  b=$(per_request "$b_file" "$b_req")
  ratio=$(awk -v n="$n" -v b="$b" 'BEGIN { printf "%.2f", n / b }')
  printf '%-14s %14s %14s %7s\n' "$name" "$n" "$b" "$ratio"
  breakdown "$n_file" "$n_req"
  [ $first = 1 ] || echo "," >>"$json"
  first=0
  printf '{"case":"%s","node_instructions_per_request":%s,"baseline_instructions_per_request":%s,"ratio":%s}' \
    "$name" "$n" "$b" "$ratio" >>"$json"
}
run_case get_hit get.lua
VALUE_BYTES=100 run_case put_100B put.lua
VALUE_BYTES=4096 run_case put_4KiB put.lua
run_case counter_add counter.lua
echo "]}" >>"$json"
echo "results: $json; callgrind files: $DIR"
