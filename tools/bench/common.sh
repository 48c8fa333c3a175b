# Helpers shared by the benchmark scripts (sourced, not run).

# Starts build/ovo on $1 (REST port) with the Settings JSON $2; sets NODE_PID and NODE_DIR.
start_node() {
  NODE_DIR=$(mktemp -d /tmp/ovo-bench-XXXXXX)
  cat >"$NODE_DIR/serverconf.json" <<CONF
{"ServerNode":{"Node":{"Name":"bench","Host":"127.0.0.1","Port":$1,"APIHost":"127.0.0.1","APIPort":$(($1 + 1))}},
 "Settings":$2}
CONF
  build/ovo -conf="$NODE_DIR/serverconf.json" >"$NODE_DIR/node.log" 2>&1 &
  NODE_PID=$!
  wait_for_http "http://127.0.0.1:$1/ovo/cluster/me"
}

stop_node() {
  kill "$NODE_PID" 2>/dev/null && wait "$NODE_PID" 2>/dev/null || true
  rm -rf "$NODE_DIR"
}

wait_for_http() {
  for _ in $(seq 100); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "nothing answered at $1" >&2
  return 1
}

# Number of objects the node on port $1 holds.
key_count() { curl -s "http://127.0.0.1:$1/ovo/keystorage" | sed 's/.*"Data":\([0-9]*\).*/\1/'; }

# Resident memory of a process in KiB.
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

ensure_wrk() {
  command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
}
