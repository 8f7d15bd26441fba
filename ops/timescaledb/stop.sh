#!/usr/bin/env bash
# Stops the TimescaleDB server started by ops/timescaledb/start.sh. Safe to run when it is not running.
# Keeps the data and the trixie root; `start.sh --fresh` wipes the data.
set -euo pipefail
OPS_NAME=timescaledb
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "$0")/../lib.sh"

ROOT="$CACHE/trixie-root"
PGBIN=/usr/lib/postgresql/17/bin
DATA=/var/lib/tsdb

require_root
with_lock timescaledb

if [ ! -x "$ROOT$PGBIN/pg_ctl" ] || [ ! -s "$ROOT$DATA/PG_VERSION" ]; then
  echo "timescaledb not installed; nothing to stop"
  exit 0
fi
PG_IDS="$(awk -F: '$1 == "postgres" { print $3 ":" $4 }' "$ROOT/etc/passwd")"
pg_ctl() { chroot --userspec="$PG_IDS" "$ROOT" /usr/bin/env -i PATH=/usr/bin:/bin "$PGBIN/pg_ctl" -D "$DATA" "$@" 9>&-; }

if pg_ctl status >/dev/null 2>&1; then
  # fast = roll back open transactions and disconnect clients; immediate only if that hangs.
  pg_ctl stop -m fast -w -t 60 >/dev/null 2>&1 || pg_ctl stop -m immediate -w -t 30 >/dev/null
  msg="timescaledb stopped"
else
  msg="timescaledb already stopped"
fi
# The root never has anything mounted by start.sh (mmap shared memory instead of /dev/shm),
# but unmount defensively in case someone bind-mounted /proc or /dev for debugging.
for m in $(awk -v r="$ROOT/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
  umount -l "$m" 2>/dev/null || true
done
echo "$msg"
