# Helpers shared by the benchmark scripts (sourced, not run).

# The node binary the helpers start (compare.sh points it at other builds).
OVO_BIN=${OVO_BIN:-build/ovo}

# With OVO_TOKEN set (a token of the nodes' Settings.TokenFile), every request the helpers
# and wrk send carries it as a bearer token.
auth_header=()
[ -z "${OVO_TOKEN:-}" ] || auth_header=(-H "Authorization: Bearer $OVO_TOKEN")

# With OVO_SCHEME=https (nodes with Settings.RestCertFile), start_node, wait_for_http,
# key_count, put_key and measure speak HTTPS; curl trusts OVO_CA (wrk checks no certificate).
OVO_SCHEME=${OVO_SCHEME:-http}
curl_tls=()
[ -z "${OVO_CA:-}" ] || curl_tls=(--cacert "$OVO_CA")

# load_unique_keys PORT: writes $TOTAL distinct keys (load_unique.lua, $THREADS threads, TTL
# from $TTL) into the node on PORT; returns once it holds them, at most after 600 s.
load_unique_keys() {
  wrk -t"$THREADS" -c50 -d600s -s tools/bench/load_unique.lua "http://127.0.0.1:$1" >/dev/null &
  local loader=$!
  for _ in $(seq 600); do
    sleep 1
    [ "$(key_count "$1")" -ge "$TOTAL" ] && break
  done
  kill "$loader" 2>/dev/null || true
  wait "$loader" 2>/dev/null || true
}

# Starts $OVO_BIN on $1 (REST port) with the Settings JSON $2; sets NODE_PID and NODE_DIR.
start_node() {
  NODE_DIR=$(mktemp -d /tmp/ovo-bench-XXXXXX)
  cat >"$NODE_DIR/serverconf.json" <<CONF
{"ServerNode":{"Node":{"Name":"bench","Host":"127.0.0.1","Port":$1,"APIHost":"127.0.0.1","APIPort":$(($1 + 1))}},
 "Settings":$2}
CONF
  "$OVO_BIN" -conf="$NODE_DIR/serverconf.json" >"$NODE_DIR/node.log" 2>&1 &
  NODE_PID=$!
  wait_for_http "$OVO_SCHEME://127.0.0.1:$1/ovo/cluster/me"
}

stop_node() {
  kill "$NODE_PID" 2>/dev/null && wait "$NODE_PID" 2>/dev/null || true
  rm -rf "$NODE_DIR"
}

# wait_for_http URL [TENTHS]: waits up to TENTHS tenths of a second (default 100) for URL.
wait_for_http() {
  for _ in $(seq "${2:-100}"); do
    curl -sf -o /dev/null "${auth_header[@]}" "${curl_tls[@]}" "$1" && return 0
    sleep 0.1
  done
  echo "nothing answered at $1" >&2
  return 1
}

# Number of objects the node on port $1 holds.
key_count() { curl -s "${auth_header[@]}" "${curl_tls[@]}" "$OVO_SCHEME://127.0.0.1:$1/ovo/keystorage" | sed 's/.*"Data":\([0-9]*\).*/\1/'; }

# Resident memory of a process in KiB.
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

ensure_wrk() {
  command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
}

# Runs wrk with tools/bench/$2 against port $1 for $DURATION with $CONNECTIONS connections and
# $WRK_THREADS threads (default 2); prints "rps p50_ms p99_ms".
measure() {
  local port=$1 script=$2
  wrk -t"${WRK_THREADS:-2}" -c"$CONNECTIONS" -d"$DURATION" --latency -s "tools/bench/$script" "${auth_header[@]}" \
    "$OVO_SCHEME://127.0.0.1:$port" | awk '
      function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
      /Requests\/sec/ { rps = $2 }
      $1 == "50%" { p50 = ms($2) }
      $1 == "99%" { p99 = ms($2) }
      END { printf "%.0f %.3f %.3f\n", rps, p50, p99 }'
}

# The cluster cases against start_cluster's nodes (base REST port $1, its directory $2): prints
# "put_100B_replicated rps p50 p99" and "get_forwarded rps p50 p99".
measure_cluster_cases() {
  echo "put_100B_replicated $(KEYS_FILE="$2/keys_b1" VALUE_BYTES=100 measure "$1" put.lua)"
  echo "get_forwarded $(KEY=$FORWARDED_KEY measure "$(($1 + 10))" get.lua)"
}

# median_rps CASE FILE: the median rps of CASE among FILE's "case rps ..." lines.
median_rps() { awk -v c="$1" '$1 == c { print $2 }' "$2" | median; }

# The median of lines "rps ...", by rps.
median() { sort -n | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }'; }

VALUE_100=$(head -c 100 /dev/zero | base64 -w0)
# put_key PORT KEY: stores a 100-byte value under KEY.
put_key() {
  curl -sf -X PUT "${auth_header[@]}" "${curl_tls[@]}" "$OVO_SCHEME://127.0.0.1:$1/ovo/keystorage" -d "{\"Key\":\"$2\",\"Data\":\"$VALUE_100\"}" >/dev/null
}

# Starts two nodes b1 (REST $1, API $1+1) and b2 (REST $1+10) in directory $2 with $REST_THREADS
# REST threads (and mutual TLS between them with the certificates b1, b2 and ca in
# $CLUSTER_TLS_DIR when it is set: tools/gen-certs.sh); sets CLUSTER_PIDS. b1 starts first, joins first and so owns slots 0..63. Writes
# 1,000 keys of b1's slots to $2/keys_b1 and stores FORWARDED_KEY (owned by b1) through b1.
start_cluster() {
  local base=$1 dir=$2 n port
  local topology="{\"Nodes\":[{\"Node\":{\"Name\":\"b1\",\"Host\":\"127.0.0.1\",\"Port\":$base,\"APIPort\":$((base + 1))}},
                          {\"Node\":{\"Name\":\"b2\",\"Host\":\"127.0.0.1\",\"Port\":$((base + 10)),\"APIPort\":$((base + 11))}}]}"
  CLUSTER_PIDS=()
  for n in 1 2; do
    port=$((base + (n - 1) * 10))
    local tls=""
    [ -z "${CLUSTER_TLS_DIR:-}" ] || tls=",\"ClusterCertFile\":\"$CLUSTER_TLS_DIR/b$n.pem\",\"ClusterKeyFile\":\"$CLUSTER_TLS_DIR/b$n.key\",\"ClusterCAFile\":\"$CLUSTER_TLS_DIR/ca.pem\""
    echo "{\"ServerNode\":{\"Node\":{\"Name\":\"b$n\",\"Host\":\"127.0.0.1\",\"Port\":$port,\"APIHost\":\"127.0.0.1\",\"APIPort\":$((port + 1))}},
           \"Topology\":$topology,\"Settings\":{\"RestThreads\":$REST_THREADS$tls}}" >"$dir/b$n.json"
    "$OVO_BIN" -conf="$dir/b$n.json" >"$dir/b$n.log" 2>&1 &
    CLUSTER_PIDS+=($!)
    wait_for_http "http://127.0.0.1:$port/ovo/cluster/me"
    sleep 0.2
  done
  for _ in $(seq 100); do
    curl -s "${auth_header[@]}" "http://127.0.0.1:$base/ovo/cluster" | grep -q '"State":"INACTIVE"' || break
    sleep 0.1
  done
  build/tools/bench/ovo_bench_slot_keys 0 63 1000 owned-by-b1- >"$dir/keys_b1"
  FORWARDED_KEY=$(build/tools/bench/ovo_bench_slot_keys 0 63 1 fwd-)
  put_key "$base" "$FORWARDED_KEY"
}

stop_cluster() {
  # Without pids, `wait` would wait for every child (the baseline server too).
  [ ${#CLUSTER_PIDS[@]} -gt 0 ] || return 0
  kill "${CLUSTER_PIDS[@]}" 2>/dev/null || true
  wait "${CLUSTER_PIDS[@]}" 2>/dev/null || true  # they still write their logs
  CLUSTER_PIDS=()
}

# Clusters of numbered nodes n1, n2, ...: REST on BASE_PORT + 2i, APIPort one above; configs and
# logs in $DIR, processes in PIDS (indexed by node number). Used by rebalance.sh and restart.sh.
rest_port() { echo $((BASE_PORT + 2 * $1)); }
node_entry() {
  echo "{\"Node\":{\"Name\":\"n$1\",\"Host\":\"127.0.0.1\",\"Port\":$(rest_port "$1"),\"APIHost\":\"127.0.0.1\",\"APIPort\":$(($(rest_port "$1") + 1))}}"
}
# start_numbered N CONF: starts node N from CONF and waits until it answers HTTP.
start_numbered() {
  "$OVO_BIN" -conf="$2" > "$DIR/n$1.log" 2>&1 &
  PIDS[$1]=$!
  wait_for_http "http://127.0.0.1:$(rest_port "$1")/ovo/cluster/me"
}
# stored N...: entries the listed nodes hold together.
stored() {
  local total=0 k
  for k in "$@"; do total=$((total + $(key_count "$(rest_port "$k")"))); done
  echo "$total"
}
# load_three_nodes: TOTAL objects through n1 until nodes 1-3 hold two copies of each.
load_three_nodes() {
  TTL=0 wrk -t"$THREADS" -c50 -d600s -s tools/bench/load_unique.lua \
    "http://127.0.0.1:$(rest_port 1)" > /dev/null &
  local wrk_pid=$!
  for _ in $(seq 600); do
    sleep 1
    [ "$(stored 1 2 3)" -ge $((2 * TOTAL)) ] && break
  done
  kill "$wrk_pid" 2>/dev/null || true
  wait "$wrk_pid" 2>/dev/null || true
}
