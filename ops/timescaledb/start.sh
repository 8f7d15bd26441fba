#!/usr/bin/env bash
# Starts a real PostgreSQL 17 + TimescaleDB server on 127.0.0.1:${TSDB_PORT:-15433}.
#
# Debian 12 ships no TimescaleDB package, Debian 13 (trixie) does, so the server runs from a
# debootstrapped trixie root under the ops cache, entered with plain chroot (no containers here).
#
# Usage: ops/timescaledb/start.sh [--fresh]   (--fresh drops all data and re-initialises)
set -euo pipefail
OPS_NAME=timescaledb
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "$0")/../lib.sh"

PORT="${TSDB_PORT:-15433}"
ROOT="$CACHE/trixie-root"
PGBIN=/usr/lib/postgresql/17/bin
DATA=/var/lib/tsdb                 # paths inside the root
LOGFILE=/var/log/tsdb/postgresql.log
HOST_LOG="$ROOT$LOGFILE"
READY_TIMEOUT="${READY_TIMEOUT:-120}"
FRESH=0
[ "${1:-}" = "--fresh" ] && FRESH=1

require_root
with_lock timescaledb

# psql/pg_isready from the host (any version >= 12 talks to a 17 server).
if ! command -v pg_isready >/dev/null || ! command -v psql >/dev/null; then apt_install postgresql-client; fi
export PGCONNECT_TIMEOUT=5
q() { psql -X -q -t -A -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }

# --- Debian mirror: the one this machine's apt already uses ---------------------------------
# First `deb` URI whose suite is a plain Debian release (not -security/-updates, not 3rd party).
debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  local codename suites f uri=""
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  suites=" $codename stable oldstable testing unstable sid bullseye bookworm trixie forky "
  # One-line format: "deb [options] URI SUITE COMPONENTS..."
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri="$(sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk -v s="$suites" '
      !found && $1=="deb" && $2 ~ /^https?:/ && $2 !~ /security/ && index(s, " " $3 " ") { print $2; found = 1 }')"
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  # deb822 format: "Field: value" stanzas separated by blank lines.
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri="$(awk -v s="$suites" '
      function flush(  n, m, i, a, u, ok) {
        if (types ~ /(^| )deb( |$)/ && tolower(enabled) != "no") {
          n = split(suites_, a, " "); ok = 0
          for (i = 1; i <= n; i++) if (index(s, " " a[i] " ")) ok = 1
          m = split(uris, u, " ")
          if (ok) for (i = 1; i <= m; i++)
            if (u[i] ~ /^https?:/ && u[i] !~ /security/ && !found) { print u[i]; found = 1 }
        }
        types = uris = suites_ = enabled = ""
      }
      /^#/ { next }
      /^[ \t]*$/ { flush(); next }
      { key = tolower($1); sub(/^[^:]*:[ \t]*/, "") }
      key == "types:" { types = $0 }
      key == "uris:" { uris = $0 }
      key == "suites:" { suites_ = $0 }
      key == "enabled:" { enabled = $0 }
      END { flush() }' "$f")"
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  return 1
}

# Unmount anything left mounted below $1 (e.g. /proc by an interrupted debootstrap) so that
# rm -rf can never walk into the host's /proc or /dev.
umount_below() {
  local m
  for m in $(awk -v r="$1/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
}

# --- 1. The trixie root (first run only: a few minutes) -----------------------------------
if [ ! -x "$ROOT$PGBIN/postgres" ]; then
  apt_install debootstrap
  MIRROR="$(debian_mirror)" || die "no Debian mirror found in /etc/apt/sources.list*; set DEBIAN_MIRROR"
  TMP="$ROOT.partial"
  # Built aside and renamed at the end, so an interrupted run never leaves a half root behind.
  if [ -e "$TMP" ]; then umount_below "$TMP"; rm -rf --one-file-system "$TMP"; fi
  log "debootstrap trixie from $MIRROR into $ROOT (first run only, takes a few minutes)"
  t0=$SECONDS
  if ! debootstrap --variant=minbase --include=postgresql-17,postgresql-17-timescaledb \
      trixie "$TMP" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1; then
    umount_below "$TMP"
    die "debootstrap failed (partial root left in $TMP)" "$CACHE/debootstrap.log"
  fi
  umount_below "$TMP"
  # The package auto-creates a "main" cluster we never use, and keeps the downloaded .debs:
  # drop both (~150 MB) so the cache stays small.
  chroot "$TMP" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    sh -c 'pg_dropcluster 17 main 2>/dev/null; apt-get clean' >>"$CACHE/debootstrap.log" 2>&1 || true
  [ -x "$TMP$PGBIN/postgres" ] || die "debootstrap finished but $PGBIN/postgres is missing" "$CACHE/debootstrap.log"
  rm -rf --one-file-system "$ROOT"
  mv "$TMP" "$ROOT"
  log "trixie root ready in $((SECONDS - t0)) s"
fi

# Run a command inside the root as the root's own postgres user. Numeric ids, because the
# host may have a postgres user with a different uid; --userspec needs no su/PAM in the root.
PG_IDS="$(awk -F: '$1 == "postgres" { print $3 ":" $4 }' "$ROOT/etc/passwd")"
[ -n "$PG_IDS" ] || die "no postgres user in $ROOT/etc/passwd"
# fd 9 (the start/stop lock) is closed so the detached postmaster does not hold the lock forever.
in_root() {
  chroot --userspec="$PG_IDS" "$ROOT" /usr/bin/env -i \
    PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/var/lib/postgresql LANG=C.UTF-8 "$@" 9>&-
}
running() { in_root "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

if [ "$FRESH" = 1 ]; then
  running && in_root "$PGBIN/pg_ctl" -D "$DATA" stop -m immediate -w >/dev/null
  rm -rf --one-file-system "${ROOT:?}$DATA"
fi

# --- 2. Cluster (first run only) --------------------------------------------------------
mkdir -p "$ROOT/var/log/tsdb" "$ROOT/run/postgresql"
chown "$PG_IDS" "$ROOT/var/log/tsdb" "$ROOT/run/postgresql"
if [ ! -s "$ROOT$DATA/PG_VERSION" ]; then
  rm -rf --one-file-system "${ROOT:?}$DATA"
  mkdir -p "$ROOT$DATA" && chown "$PG_IDS" "$ROOT$DATA"
  # C.UTF-8 is built into glibc, so the minbase root needs no locales package.
  in_root "$PGBIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$CACHE/tsdb-initdb.log" 2>&1 || die "initdb failed" "$CACHE/tsdb-initdb.log"
  echo "include 'ops.conf'" >>"$ROOT$DATA/postgresql.conf"
fi

# Rewritten every start so that a changed TSDB_PORT takes effect.
cat >"$ROOT$DATA/ops.conf" <<EOF
# Written by ops/timescaledb/start.sh; edits are overwritten.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '/run/postgresql'
shared_preload_libraries = 'timescaledb'
timescaledb.telemetry_level = off
# The root has no /dev/shm or /proc mounted: use plain mmap'd files / skip huge page probing
# instead of mounting host filesystems into the chroot.
dynamic_shared_memory_type = mmap
huge_pages = off
EOF
chown "$PG_IDS" "$ROOT$DATA/ops.conf"

# --- 3. Server ---------------------------------------------------------------------------
if running && ! pg_isready -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres; then
  # Up, but on another port (TSDB_PORT changed): restart to pick up ops.conf.
  log "running but not answering on port $PORT; restarting"
  in_root "$PGBIN/pg_ctl" -D "$DATA" stop -m fast -w >/dev/null
fi
started=$SECONDS
if ! running; then
  port_open "$PORT" && die "127.0.0.1:$PORT is already taken by another process; set TSDB_PORT"
  # pg_ctl detaches the postmaster into its own session, so it outlives this script and CI step.
  in_root "$PGBIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -W start >/dev/null 2>&1 </dev/null ||
    die "pg_ctl start failed" "$HOST_LOG"
fi

# --- 4. Readiness: accepting connections AND answering a query ------------------------------
deadline=$((SECONDS + READY_TIMEOUT))
until pg_isready -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres && q -d postgres -c 'select 1' >/dev/null 2>&1; do
  [ "$SECONDS" -lt "$deadline" ] || die "timescaledb not ready on 127.0.0.1:$PORT after ${READY_TIMEOUT}s" "$HOST_LOG"
  # pg_ctl status only turns true once postmaster.pid exists: give it a few seconds.
  if [ $((SECONDS - started)) -ge 5 ] && ! running; then
    die "timescaledb server exited during start-up" "$HOST_LOG"
  fi
  sleep 0.5
done

[ "$(q -d postgres -c "select count(*) from pg_database where datname = 'test'")" = 1 ] ||
  q -d postgres -c 'create database test' >/dev/null
q -d test -c 'create extension if not exists timescaledb' >/dev/null 2>&1 ||
  die "create extension timescaledb failed" "$HOST_LOG"
ver="$(q -d test -c "select extversion from pg_extension where extname = 'timescaledb'")"
lic="$(q -d test -c 'show timescaledb.license')"
pgver="$(q -d test -c 'show server_version')"
log "PostgreSQL $pgver, timescaledb $ver, timescaledb.license=$lic, log: $HOST_LOG"
echo "timescaledb listening on postgres://postgres@127.0.0.1:$PORT/test"
