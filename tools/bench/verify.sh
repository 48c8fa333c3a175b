#!/usr/bin/env bash
# Anti-entropy cost: loads TOTAL objects (16-byte keys, 32-byte values) into a 3-node cluster
# and times `ovoctl verify` (every owner compares every slot with its replica holder's copy),
# once with identical copies and once more to show the spread.
#   tools/bench/verify.sh            (TOTAL=1000000 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/common.sh
export TOTAL=${TOTAL:-1000000} THREADS=2
BASE_PORT=${BASE_PORT:-17500}
ensure_wrk
tools/build.sh >/dev/null
DIR=$(mktemp -d /tmp/ovo-verify-XXXXXX)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DIR"' EXIT

topology="$(node_entry 1),$(node_entry 2),$(node_entry 3)"
for k in 1 2 3; do
  # The periodic round off: only the timed runs compare.
  echo "{\"ServerNode\":$(node_entry "$k"),\"Topology\":{\"Nodes\":[$topology]},
         \"Settings\":{\"VerifyIntervalSeconds\":0}}" > "$DIR/n$k.json"
  start_numbered "$k" "$DIR/n$k.json"
done
sleep 2
load_three_nodes
echo "cluster holds $(stored 1 2 3) entries (two copies of $TOTAL objects)"
for run in 1 2; do
  start=$(date +%s.%N)
  build/ovoctl --node "127.0.0.1:$(($(rest_port 1) + 1))" verify
  awk -v s="$start" -v e="$(date +%s.%N)" -v r="$run" \
    'BEGIN { printf "verify run %d: %.2f s for the whole cluster\n", r, e - s }'
done
