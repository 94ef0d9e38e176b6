#!/usr/bin/env bash
# Starts one `hlscdn edge` for examples/local, detached from Terraform, and waits
# until its nginx answers. Called by a create-time local-exec with the settings
# in the environment (see main.tf). Writes the edge's pid to $PID_FILE.
set -euo pipefail

: "${EDGE_ID:?}" "${EDGE_HOST:?}" "${EDGE_PORT:?}" "${EDGE_DATA_DIR:?}" "${EDGE_WORKDIR:?}"
: "${PID_FILE:?}" "${LOG_FILE:?}" "${HLSCDN_COMMAND:?}" "${START_TIMEOUT_SEC:=60}"

mkdir -p "$EDGE_DATA_DIR" "$EDGE_WORKDIR" "$(dirname "$PID_FILE")"
if [[ -s "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  echo "edge $EDGE_ID is already running (pid $(cat "$PID_FILE"))"
  exit 0
fi

mapfile -t command <<<"$HLSCDN_COMMAND"
cd "$EDGE_WORKDIR"
# setsid: a session of its own, outside Terraform's process group, so the edge
# outlives the apply. Output goes to a file and stdin to /dev/null: Terraform
# waits for the provisioner's pipes to close, and a child holding them would hang it.
setsid "${command[@]}" edge --id "$EDGE_ID" --host "$EDGE_HOST" --port "$EDGE_PORT" --data-dir "$EDGE_DATA_DIR" \
  >"$LOG_FILE" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$PID_FILE"

# kill -0 alone would take a dead child (a zombie until this script exits) for alive.
alive() {
  local state
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ -n "$state" && "$state" != Z ]]
}

probe_host=$EDGE_HOST
[[ "$probe_host" == "0.0.0.0" ]] && probe_host=127.0.0.1
deadline=$((SECONDS + START_TIMEOUT_SEC))
while ((SECONDS < deadline)); do
  if ! alive; then
    echo "edge $EDGE_ID exited while starting; its last output:" >&2
    tail -n 20 "$LOG_FILE" >&2 || true
    rm -f "$PID_FILE"
    exit 1
  fi
  # nginx is up once the port accepts connections (the edge registers right after).
  if (exec 3<>"/dev/tcp/$probe_host/$EDGE_PORT") 2>/dev/null; then
    echo "edge $EDGE_ID listening on $EDGE_HOST:$EDGE_PORT (pid $pid)"
    exit 0
  fi
  sleep 0.2
done
echo "edge $EDGE_ID did not listen on $EDGE_HOST:$EDGE_PORT within ${START_TIMEOUT_SEC}s; stopping it" >&2
kill -TERM "$pid" 2>/dev/null || true
rm -f "$PID_FILE"
exit 1
