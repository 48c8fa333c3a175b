#!/usr/bin/env bash
# A local cluster for trying things out: starts N nodes (default 3) in the background with
# their logs and pid files under run/cluster/, and stops only the processes it started.
#
#   tools/cluster.sh start [N]   nodes 1-3 come from conf/cluster/, more are generated
#   tools/cluster.sh status
#   tools/cluster.sh stop        SIGTERM, then SIGKILL after 10 s
set -euo pipefail
cd "$(dirname "$0")/.."
run_dir=run/cluster
binary=build/ovo

# The config of node K: from conf/cluster/ for 1-3, else the same pattern on ports 506K/606K.
write_config() {
  local k=$1 target=$2
  if [[ -f conf/cluster/node$k.json ]]; then
    cp "conf/cluster/node$k.json" "$target"
    return
  fi
  local port=$((5060 + k)) api_port=$((6060 + k))
  cat > "$target" <<JSON
{
  "ServerNode": {"Node": {"Name": "node$k", "Host": "127.0.0.1", "Port": $port,
                          "APIHost": "127.0.0.1", "APIPort": $api_port}},
  "Topology": {"Nodes": [
    {"Node": {"Name": "node1", "Host": "127.0.0.1", "Port": 5061, "APIHost": "127.0.0.1", "APIPort": 6061}},
    {"Node": {"Name": "node$k", "Host": "127.0.0.1", "Port": $port, "APIHost": "127.0.0.1", "APIPort": $api_port}}
  ]}
}
JSON
}

# The pid in node K's pid file if that process is still our ovo, else nothing.
running_pid() {
  local pid_file=$run_dir/node$1.pid pid
  [[ -f $pid_file ]] || return 0
  pid=$(cat "$pid_file")
  if [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "$binary"; then
    echo "$pid"
  fi
}

start() {
  local count=${1:-3}
  [[ -x $binary ]] || { echo "no $binary: run tools/build.sh first" >&2; exit 1; }
  mkdir -p "$run_dir"
  for k in $(seq 1 "$count"); do
    if [[ -n $(running_pid "$k") ]]; then
      echo "node$k already running (pid $(running_pid "$k"))"
      continue
    fi
    # A restart rejoins from the .temp file the node kept (same place in the layout).
    local config=$run_dir/node$k.json
    if [[ -f $config.temp ]]; then config=$config.temp; else write_config "$k" "$config"; fi
    "$binary" -conf="$config" >> "$run_dir/node$k.log" 2>&1 &
    echo $! > "$run_dir/node$k.pid"
    echo "node$k started (pid $!, REST 127.0.0.1:$((5060 + k)), API 127.0.0.1:$((6060 + k)), log $run_dir/node$k.log)"
  done
}

status() {
  shopt -s nullglob
  for pid_file in "$run_dir"/node*.pid; do
    local k=${pid_file##*/node}; k=${k%.pid}
    local pid; pid=$(running_pid "$k")
    if [[ -n $pid ]]; then echo "node$k running (pid $pid)"; else echo "node$k stopped"; fi
  done
}

stop() {
  shopt -s nullglob
  local pids=()
  for pid_file in "$run_dir"/node*.pid; do
    local k=${pid_file##*/node}; k=${k%.pid}
    local pid; pid=$(running_pid "$k")
    [[ -n $pid ]] && { kill -TERM "$pid"; pids+=("$pid"); }
    rm -f "$pid_file"
  done
  for _ in $(seq 1 100); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"; done
  echo "stopped ${#pids[@]} nodes"
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: tools/cluster.sh start [N] | status | stop" >&2; exit 2 ;;
esac
