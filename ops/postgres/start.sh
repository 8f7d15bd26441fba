#!/usr/bin/env bash
# Makes sure the machine's own Debian PostgreSQL (the system cluster "main") answers on
# 127.0.0.1:${PG_PORT:-5432} with trust auth and a database "test". Installs it on a bare machine.
# It is a system service shared with other users of the machine, so there is no real stop.
set -euo pipefail
OPS_NAME=postgres
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "$0")/../lib.sh"

PORT="${PG_PORT:-5432}"
READY_TIMEOUT="${READY_TIMEOUT:-120}"
export PGCONNECT_TIMEOUT=5
# -w: never prompt for a password (CI has no terminal); a prompt means trust is not set up.
q() { psql -X -w -q -t -A -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }
ready() { pg_isready -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres; }

cluster_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n1; }

if ! ready; then
  require_root
  if [ -z "$(cluster_version)" ] || ! command -v pg_ctlcluster >/dev/null; then
    apt_install postgresql
  fi
  ver="$(cluster_version)"
  [ -n "$ver" ] || die "postgresql is installed but has no cluster in /etc/postgresql"
  # --skip-systemctl-redirect: no systemd on these machines; start the cluster directly.
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start </dev/null >/dev/null 2>&1 || true
  deadline=$((SECONDS + READY_TIMEOUT))
  until ready; do
    [ "$SECONDS" -lt "$deadline" ] ||
      die "postgres not ready on 127.0.0.1:$PORT after ${READY_TIMEOUT}s" "/var/log/postgresql/postgresql-$ver-main.log"
    sleep 0.5
  done
fi

# A fresh Debian install uses scram for TCP: switch 127.0.0.1/::1 to trust (test machine only).
if ! q -d postgres -c 'select 1' >/dev/null 2>&1; then
  require_root
  ver="$(cluster_version)"
  hba="/etc/postgresql/$ver/main/pg_hba.conf"
  [ -f "$hba" ] || die "cannot connect as postgres over TCP and $hba does not exist"
  log "enabling trust auth for 127.0.0.1 and ::1 in $hba"
  # First matching line wins, so put ours on top.
  sed -i '1i host all all 127.0.0.1/32 trust  # added by ops/postgres/start.sh\nhost all all ::1/128 trust  # added by ops/postgres/start.sh' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main reload </dev/null >/dev/null 2>&1
  sleep 1
  q -d postgres -c 'select 1' >/dev/null || die "still cannot connect as postgres over TCP after enabling trust" "$hba"
fi

[ "$(q -d postgres -c "select count(*) from pg_database where datname = 'test'")" = 1 ] ||
  q -d postgres -c 'create database test' >/dev/null
echo "postgres listening on postgres://postgres@127.0.0.1:$PORT/test"
