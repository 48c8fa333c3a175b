#!/usr/bin/env bash
# Crash check under load on a 2-node cluster: ROUNDS rounds of a replicated PUT and a
# forwarded GET under wrk, whose connections close with answers still in flight (answers come
# from actor threads and from other reactors). Fails as soon as a node has died. Bounded: about 8 s per round.
#   tools/bench/soak.sh        (ROUNDS=20 by default; OVO_BIN picks the binary)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/common.sh
ROUNDS=${ROUNDS:-20}
REST_THREADS=${REST_THREADS:-2}
CONNECTIONS=50
CLUSTER_PORT=${CLUSTER_PORT:-17140}

ensure_wrk
tools/build.sh >/dev/null
WORK=$(mktemp -d /tmp/ovo-bench-soak-XXXXXX)
CLUSTER_PIDS=()
trap 'stop_cluster; rm -rf "$WORK"' EXIT
start_cluster "$CLUSTER_PORT" "$WORK"
for round in $(seq "$ROUNDS"); do
  DURATION=4s KEYS_FILE="$WORK/keys_b1" VALUE_BYTES=100 measure "$CLUSTER_PORT" put.lua >/dev/null
  DURATION=3s KEY=$FORWARDED_KEY measure "$((CLUSTER_PORT + 10))" get.lua >/dev/null
  for pid in "${CLUSTER_PIDS[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "a node died in round $round; its log:" >&2
      tail -n 5 "$WORK"/b*.log >&2
      exit 1
    fi
  done
done
echo "both nodes alive after $ROUNDS rounds"
