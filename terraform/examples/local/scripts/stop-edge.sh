#!/usr/bin/env bash
# Stops one edge of examples/local: SIGTERM (the edge drains, deregisters and
# exits), a bounded wait, then SIGKILL. Called by a destroy-time local-exec.
# An edge that already exited (drained through the registry) is fine.
set -euo pipefail

: "${EDGE_ID:?}" "${PID_FILE:?}" "${STOP_TIMEOUT_SEC:=60}"

if [[ ! -s "$PID_FILE" ]]; then
  echo "edge $EDGE_ID: no pid file, nothing to stop"
  exit 0
fi
pid=$(cat "$PID_FILE")

# Only signal the process if it still is this edge (pids get reused).
is_this_edge() {
  [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "--id $EDGE_ID "
}

if ! is_this_edge; then
  echo "edge $EDGE_ID (pid $pid) is not running"
  rm -f "$PID_FILE"
  exit 0
fi

kill -TERM "$pid"
deadline=$((SECONDS + STOP_TIMEOUT_SEC))
while is_this_edge && ((SECONDS < deadline)); do sleep 0.2; done
if is_this_edge; then
  echo "edge $EDGE_ID did not exit within ${STOP_TIMEOUT_SEC}s: SIGKILL" >&2
  kill -KILL "$pid" || true
fi
rm -f "$PID_FILE"
echo "edge $EDGE_ID stopped"
