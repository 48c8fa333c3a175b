#!/usr/bin/env bash
# mget of 100 keys against 100 single GETs of the same keys, in one run, on start_cluster's two
# nodes through b1 (about half the keys live on b2, so the mget forwards them in one message
# and each of their GETs is forwarded alone). Prints keys read per second each way and their
# ratio, with one connection (one client reading its keys one request after another) and with
# 50 (a loaded node).
#   tools/bench/bulk.sh    (DURATION=10s BULK_KEYS=100; OVO_BIN=other/ovo to compare)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/common.sh
DURATION=${DURATION:-10s}
REST_THREADS=${REST_THREADS:-0}
BASE_PORT=${BASE_PORT:-17300}
export BULK_KEYS=${BULK_KEYS:-100}
ensure_wrk
[ "$OVO_BIN" != build/ovo ] || tools/build.sh >/dev/null
DIR=$(mktemp -d /tmp/ovo-bench-bulk-XXXXXX)
trap 'stop_cluster; rm -rf "$DIR"' EXIT
start_cluster "$BASE_PORT" "$DIR"

# bulk-0 .. bulk-(BULK_KEYS - 1), 100-byte values, written with one mset; every one must be found.
items=$(seq 0 $((BULK_KEYS - 1)) |
  awk -v v="$VALUE_100" '{ printf "%s{\"Key\":\"bulk-%d\",\"Data\":\"%s\"}", (NR > 1 ? "," : ""), $1, v }')
curl -sf -X POST "${auth_header[@]}" "http://127.0.0.1:$BASE_PORT/ovo/mset" \
  -d "{\"Items\":[$items]}" >/dev/null
keys=$(seq 0 $((BULK_KEYS - 1)) | awk '{ printf "%s\"bulk-%d\"", (NR > 1 ? "," : ""), $1 }')
found=$(curl -sf -X POST "${auth_header[@]}" "http://127.0.0.1:$BASE_PORT/ovo/mget" \
  -d "{\"Keys\":[$keys]}" | grep -o '"Code":"0","Data":"' | wc -l)
[ "$found" -eq "$BULK_KEYS" ] || { echo "mget found $found of $BULK_KEYS keys" >&2; exit 1; }

for CONNECTIONS in 1 50; do
  threads=$((CONNECTIONS < 2 ? 1 : 2))
  read -r mget_rps mget_p50 _ <<<"$(WRK_THREADS=$threads measure "$BASE_PORT" mget.lua)"
  read -r get_rps get_p50 _ <<<"$(WRK_THREADS=$threads measure "$BASE_PORT" get_keys.lua)"
  awk -v c="$CONNECTIONS" -v n="$BULK_KEYS" -v mr="$mget_rps" -v mp="$mget_p50" \
    -v gr="$get_rps" -v gp="$get_p50" 'BEGIN {
      printf "%d connection(s): mget of %d keys %d req/s = %d keys/s (p50 %.3f ms); single GETs %d keys/s (p50 %.3f ms); mget reads %.1fx the keys per second\n",
        c, n, mr, mr * n, mp, gr, gp, mr * n / gr }'
done
