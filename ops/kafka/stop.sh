#!/usr/bin/env bash
# Stops the broker started by ops/kafka/start.sh (SIGTERM, then SIGKILL). Safe when not running.
# Keeps the data; `start.sh --fresh` wipes it.
set -euo pipefail
OPS_NAME=kafka
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "$0")/../lib.sh"

DIR="$CACHE/kafka"
PIDFILE="$DIR/kafka.pid"
STOP_TIMEOUT="${STOP_TIMEOUT:-60}"
mkdir -p "$DIR"
with_lock kafka

# Only signal the pid if it still is our broker (pids get recycled across reboots).
if ! pid_alive "$PIDFILE" || ! tr '\0' ' ' <"/proc/$(cat "$PIDFILE")/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka '; then
  rm -f "$PIDFILE"
  echo "kafka already stopped"
  exit 0
fi
pid="$(cat "$PIDFILE")"
# SIGTERM = controlled shutdown: flushes logs so the next start needs no log recovery.
kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq $((STOP_TIMEOUT * 5))); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
if kill -0 "$pid" 2>/dev/null; then
  log "no exit after ${STOP_TIMEOUT}s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
fi
rm -f "$PIDFILE"
echo "kafka stopped"
