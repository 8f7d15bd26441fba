# Shared helpers for the ops/ scripts. Sourced, not executed.
# shellcheck shell=bash

# shellcheck disable=SC2034  # used by the scripts that source this file
OPS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Outside the repo so every clone on the machine reuses the (slow to build) jars and chroot.
CACHE="${OPS_CACHE:-$HOME/.cache/telemetry-platform}"
mkdir -p "$CACHE"

# CI has no terminal: never let apt/dpkg prompt.
export DEBIAN_FRONTEND=noninteractive

log() { echo "[${OPS_NAME:-ops}] $*" >&2; }

# die MESSAGE [LOGFILE]: fail with a clear message and the tail of the server log.
die() {
  echo "ERROR: $1" >&2
  if [ -n "${2:-}" ] && [ -f "$2" ]; then
    echo "---- last 40 lines of $2 ----" >&2
    tail -n 40 "$2" >&2
    echo "----" >&2
  fi
  exit 1
}

require_root() {
  # chroot, debootstrap, apt-get and mounts all need root; CI runs as root.
  [ "$(id -u)" -eq 0 ] || die "$(basename "$0") must run as root (try: sudo $0)"
}

# apt_install PKG...: install packages if any is missing; `apt-get update` only when needed.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  local l="$CACHE/apt-install.log"
  if ! apt-get install -y -q "${missing[@]}" >"$l" 2>&1; then
    apt-get update -q >>"$l" 2>&1 || true
    apt-get install -y -q "${missing[@]}" >>"$l" 2>&1 || die "apt-get install ${missing[*]} failed" "$l"
  fi
}

# port_open PORT: true if something accepts TCP connections on 127.0.0.1:PORT (no nc needed).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pid_alive PIDFILE: true if the pid in PIDFILE is a running process.
pid_alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Serialise concurrent start/stop of the same server (e.g. two CI stages racing).
# The lock lives on fd 9: background servers must be started with `9>&-`, or they inherit
# the fd and hold the lock for their whole life.
# start.sh calls stop.sh while holding the lock: the child sees OPS_LOCK_HELD and skips it.
with_lock() {
  [ "${OPS_LOCK_HELD:-}" = "$1" ] && return 0
  exec 9>"$CACHE/$1.lock"
  flock -w 600 9 || die "could not get lock $CACHE/$1.lock within 600 s (held by: $(fuser "$CACHE/$1.lock" 2>/dev/null))"
  export OPS_LOCK_HELD="$1"
}
