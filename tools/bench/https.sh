#!/usr/bin/env bash
# What HTTPS on the REST port costs: ROUNDS times, one node over HTTP and then the same node over
# HTTPS (a tools/gen-certs.sh certificate) serve a GET of one key and PUTs of 100-byte values,
# alternately; medians and ratios. wrk keeps its connections, so this is the cost of encrypting
# requests and answers, not of handshakes.
#   tools/bench/https.sh   (DURATION=5s CONNECTIONS=50 ROUNDS=3 REST_THREADS=2 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/common.sh
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-50}
ROUNDS=${ROUNDS:-3}
REST_THREADS=${REST_THREADS:-2}
NODE_PORT=${NODE_PORT:-17240}

ensure_wrk
tools/build.sh >/dev/null
WORK=$(mktemp -d /tmp/ovo-bench-https-XXXXXX)
NODE_PID=""
cleanup() {
  [ -z "$NODE_PID" ] || stop_node
  rm -rf "$WORK"
}
trap cleanup EXIT
tools/gen-certs.sh "$WORK/certs" rest >/dev/null
tls=",\"RestCertFile\":\"$WORK/certs/rest.pem\",\"RestKeyFile\":\"$WORK/certs/rest.key\""

# round LABEL EXTRA_SETTINGS: appends "case rps p50 p99" lines to $WORK/LABEL.
round() {
  start_node "$NODE_PORT" "{\"RestThreads\":$REST_THREADS$2}"
  put_key "$NODE_PORT" bench-hit
  echo "get_100B $(measure "$NODE_PORT" get.lua)" >>"$WORK/$1"
  echo "put_100B $(VALUE_BYTES=100 measure "$NODE_PORT" put.lua)" >>"$WORK/$1"
  stop_node
  NODE_PID=""
}

for _ in $(seq "$ROUNDS"); do
  OVO_SCHEME=http curl_tls=()
  round http ""
  OVO_SCHEME=https curl_tls=(--cacert "$WORK/certs/ca.pem")
  round https "$tls"
done

printf '%-10s %10s %11s %11s\n' case http_rps https_rps https/http
for name in get_100B put_100B; do
  plain=$(median_rps "$name" "$WORK/http")
  secure=$(median_rps "$name" "$WORK/https")
  printf '%-10s %10s %11s %11s\n' "$name" "$plain" "$secure" "$(awk -v a="$plain" -v b="$secure" 'BEGIN { printf "%.2f", b / a }')"
done
