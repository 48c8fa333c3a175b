#!/usr/bin/env bash
# What mutual TLS between nodes costs: ROUNDS times, a 2-node cluster in plaintext and then one
# with mutual TLS (tools/gen-certs.sh certificates) serve a replicated PUT (every write crosses
# the link twice: replica write and its confirmation) and a forwarded GET; medians and ratios.
#   tools/bench/tls.sh   (DURATION=5s CONNECTIONS=50 ROUNDS=3 REST_THREADS=2 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/common.sh
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-50}
ROUNDS=${ROUNDS:-3}
REST_THREADS=${REST_THREADS:-2}
CLUSTER_PORT=${CLUSTER_PORT:-17220}

ensure_wrk
tools/build.sh >/dev/null
WORK=$(mktemp -d /tmp/ovo-bench-tls-XXXXXX)
CLUSTER_PIDS=()
cleanup() {
  stop_cluster
  rm -rf "$WORK"
}
trap cleanup EXIT
tools/gen-certs.sh "$WORK/certs" b1 b2 >/dev/null

# One round: appends "case rps" lines to $WORK/<label>.
round() {
  local label=$1
  start_cluster "$CLUSTER_PORT" "$WORK"
  measure_cluster_cases "$CLUSTER_PORT" "$WORK" >>"$WORK/$label"
  stop_cluster
}

for _ in $(seq "$ROUNDS"); do
  CLUSTER_TLS_DIR="" round plaintext
  CLUSTER_TLS_DIR="$WORK/certs" round tls
done

printf '%-22s %14s %10s %8s\n' case plaintext_rps tls_rps tls/plain
for name in put_100B_replicated get_forwarded; do
  plain=$(median_rps "$name" "$WORK/plaintext")
  tls=$(median_rps "$name" "$WORK/tls")
  printf '%-22s %14s %10s %8s\n' "$name" "$plain" "$tls" "$(awk -v a="$plain" -v b="$tls" 'BEGIN { printf "%.2f", b / a }')"
done
