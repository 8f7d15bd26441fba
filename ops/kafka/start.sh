#!/usr/bin/env bash
# Starts a real single-node Kafka 3.9 broker (KRaft, no ZooKeeper) on 127.0.0.1:${KAFKA_PORT:-19092}.
# The jars come from Maven Central (ops/kafka/pom.xml); nothing else is downloaded.
#
# Usage: ops/kafka/start.sh [--fresh]   (--fresh deletes all topics/data first; good for CI)
set -euo pipefail
OPS_NAME=kafka
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "$0")/../lib.sh"

PORT="${KAFKA_PORT:-19092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
READY_TIMEOUT="${READY_TIMEOUT:-120}"
HERE="$OPS_DIR/kafka"
DIR="$CACHE/kafka"
LIBS="$DIR/libs"
DATA="$DIR/data"
CONF="$DIR/server.properties"
LOG="$DIR/kafka.log"
PIDFILE="$DIR/kafka.pid"
LOG4J="-Dlog4j.configuration=file:$HERE/log4j.properties"
FRESH=0
[ "${1:-}" = "--fresh" ] && FRESH=1

mkdir -p "$DIR"
with_lock kafka

# --- 1. Jars (first run only, or when pom.xml changes) ---------------------------------------
command -v java >/dev/null || apt_install default-jdk-headless
command -v mvn >/dev/null || apt_install maven
stamp="$(sha256sum "$HERE/pom.xml" | cut -c1-16)"
if [ "$(cat "$LIBS/.complete" 2>/dev/null)" != "$stamp" ]; then
  log "fetching Kafka jars from Maven Central into $LIBS (first run only)"
  t0=$SECONDS
  rm -rf "$LIBS.partial"
  # -B: batch mode, no progress bars / colours in CI logs.
  mvn -B -q -f "$HERE/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$LIBS.partial" >"$DIR/mvn.log" 2>&1 </dev/null ||
    die "maven could not fetch the Kafka jars" "$DIR/mvn.log"
  echo "$stamp" >"$LIBS.partial/.complete"
  rm -rf "$LIBS"
  mv "$LIBS.partial" "$LIBS"   # atomic: a half download never looks complete
  log "jars ready in $((SECONDS - t0)) s"
fi
kafka_java() { java "$LOG4J" -cp "$LIBS/*" "$@"; }

# Is the pid in $PIDFILE our broker? (guards against a recycled pid after a reboot)
broker_running() {
  pid_alive "$PIDFILE" && tr '\0' ' ' <"/proc/$(cat "$PIDFILE")/cmdline" 2>/dev/null | grep -q "kafka.Kafka $CONF"
}

if [ "$FRESH" = 1 ]; then
  "$HERE/stop.sh" >/dev/null
  rm -rf "$DATA" "$DIR/cluster.id"
fi

# --- 2. Config (rewritten every time so env overrides apply) --------------------------------
cat >"$CONF.new" <<CONF
# Written by ops/kafka/start.sh; edits are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA
# Single node: every internal topic must make do with one replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
min.insync.replicas=1
# Default is 128 MB of heap for the compaction buffer; far too much for a test box.
log.cleaner.dedupe.buffer.size=16777216
num.partitions=3
auto.create.topics.enable=true
# Consumers in tests join one at a time; don't make each group wait 3 s for more members.
group.initial.rebalance.delay.ms=0
CONF
if broker_running && ! cmp -s "$CONF.new" "$CONF"; then
  log "configuration changed; restarting the broker"
  "$HERE/stop.sh" >/dev/null
fi
mv "$CONF.new" "$CONF"

# --- 3. Storage format (once per data dir) --------------------------------------------------
if [ ! -s "$DATA/meta.properties" ]; then
  [ -s "$DIR/cluster.id" ] || kafka_java kafka.tools.StorageTool random-uuid >"$DIR/cluster.id"
  kafka_java kafka.tools.StorageTool format -t "$(cat "$DIR/cluster.id")" -c "$CONF" \
    >"$DIR/format.log" 2>&1 || die "kafka storage format failed" "$DIR/format.log"
fi

# --- 4. Broker -------------------------------------------------------------------------------
started=""
if ! broker_running; then
  started=$SECONDS
  port_open "$PORT" && die "127.0.0.1:$PORT is already taken by another process; set KAFKA_PORT"
  port_open "$CONTROLLER_PORT" && die "127.0.0.1:$CONTROLLER_PORT is already taken; set KAFKA_CONTROLLER_PORT"
  echo "==== $(date -u +%FT%TZ) start" >>"$LOG"
  # setsid+nohup: own session, immune to the CI step's SIGHUP, outlives this script.
  # 9>&- so the broker does not inherit (and keep) the start/stop lock.
  setsid nohup java -Xms256m -Xmx512m -Djava.awt.headless=true "$LOG4J" -cp "$LIBS/*" \
    kafka.Kafka "$CONF" >>"$LOG" 2>&1 </dev/null 9>&- &
  echo $! >"$PIDFILE"
fi

# --- 5. Readiness: port open AND the broker answers a metadata request ------------------------
deadline=$((SECONDS + READY_TIMEOUT))
# timeout: the admin client would otherwise retry for 60 s against a half-started broker.
until port_open "$PORT" &&
  timeout 30 java "$LOG4J" -cp "$LIBS/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$PORT" --list \
    >"$DIR/probe.log" 2>&1; do
  broker_running || die "kafka broker exited during start-up" "$LOG"
  [ "$SECONDS" -lt "$deadline" ] || die "kafka not ready on 127.0.0.1:$PORT after ${READY_TIMEOUT}s" "$LOG"
  sleep 1
done
[ -n "$started" ] && log "started in $((SECONDS - started)) s (log: $LOG)"
echo "kafka listening on 127.0.0.1:$PORT"
