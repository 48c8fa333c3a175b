#!/usr/bin/env bash
# Which allocator gives memory back (docs/memory.md, "Memory coming back"): for glibc malloc,
# glibc with one malloc_trim(0) after the deletes (called through gdb), jemalloc with its
# defaults and with background decay threads (1 s), and mimalloc (LD_PRELOADed into the same
# build; ALLOCATORS picks some), loads TOTAL objects of VALUE_BYTES into a fresh node,
# deletes them all, and prints RSS at start, full, 1 s and 10 s after the deletes, then GET and
# PUT throughput (wrk, DURATION each) on a node holding 1,000 keys.
#   tools/bench/allocators.sh        (TOTAL=200000 VALUE_BYTES=1000 DURATION=5s)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/common.sh
export TOTAL=${TOTAL:-200000} VALUE_BYTES=${VALUE_BYTES:-1000} THREADS=2
DURATION=${DURATION:-5s} CONNECTIONS=${CONNECTIONS:-50}
NODE_PORT=${NODE_PORT:-17075}
ensure_wrk
# The node links glibc's malloc; the others are measured through LD_PRELOAD.
dpkg -s gdb libjemalloc2 libmimalloc2.0 >/dev/null 2>&1 ||
  { apt-get update -qq && apt-get install -y -qq gdb libjemalloc2 libmimalloc2.0; }
tools/build.sh >/dev/null
jemalloc=$(find /usr/lib -name 'libjemalloc.so.2' | head -1)
mimalloc=$(find /usr/lib -name 'libmimalloc.so.2*' | head -1)
trap 'stop_node' EXIT

# run_wrk METHOD: the load_unique.lua pass (PUT or DELETE of TOTAL keys), until the node's key
# count stops changing (a wrk thread stopping may drop its last request or two).
run_wrk() {
  METHOD=$1 wrk -t"$THREADS" -c50 -d600s -s tools/bench/load_unique.lua \
    "http://127.0.0.1:$NODE_PORT" >/dev/null &
  local loader=$! keys=-1 before
  for _ in $(seq 600); do
    sleep 1
    before=$keys
    keys=$(key_count "$NODE_PORT")
    [ "$keys" != "$before" ] || break
  done
  kill "$loader" 2>/dev/null || true
  wait "$loader" 2>/dev/null || true
}

printf '%-14s %8s %8s %8s %8s %9s %9s\n' allocator start_mib full_mib del_1s del_10s get_rps put_rps
for allocator in ${ALLOCATORS:-glibc glibc+trim jemalloc jemalloc+decay mimalloc}; do
  preload="" conf=""
  case $allocator in
    jemalloc) preload=$jemalloc ;;
    jemalloc+decay)
      preload=$jemalloc conf="background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0" ;;
    mimalloc) preload=$mimalloc ;;
  esac
  LD_PRELOAD=$preload MALLOC_CONF=$conf start_node "$NODE_PORT" '{}'
  start=$(rss_kib "$NODE_PID")
  run_wrk PUT
  full=$(rss_kib "$NODE_PID")
  run_wrk DELETE
  [ "$allocator" != glibc+trim ] ||
    gdb -p "$NODE_PID" -batch -ex 'call (int)malloc_trim(0)' >/dev/null 2>&1
  sleep 1
  after1=$(rss_kib "$NODE_PID")
  sleep 9
  after10=$(rss_kib "$NODE_PID")
  for i in $(seq 0 999); do put_key "$NODE_PORT" "bench-$i"; done
  put_key "$NODE_PORT" bench-hit
  get=$(measure "$NODE_PORT" get.lua | cut -d' ' -f1)
  put=$(VALUE_BYTES=100 measure "$NODE_PORT" put.lua | cut -d' ' -f1)
  awk -v a="$allocator" -v s="$start" -v f="$full" -v d1="$after1" -v d10="$after10" \
    -v g="$get" -v p="$put" \
    'BEGIN { printf "%-14s %8.1f %8.1f %8.1f %8.1f %9d %9d\n", a, s/1024, f/1024, d1/1024, d10/1024, g, p }'
  stop_node
done
