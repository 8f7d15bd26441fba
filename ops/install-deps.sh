#!/usr/bin/env bash
# Installs the Debian packages the CI stages rely on, only if missing.
# Safe to run on every CI run: when everything is present it does no apt work and prints one line.
set -euo pipefail

# CI has no terminal: never let dpkg/apt ask anything.
export DEBIAN_FRONTEND=noninteractive

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
# command -> Debian package that provides it
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }

need debootstrap debootstrap  # builds the trixie root for TimescaleDB (ops/timescaledb)
need chromium chromium        # headless browser for the console tests
need java default-jdk-headless # Kafka broker (ops/kafka)
need mvn maven                # fetches the Kafka jars from Maven Central
need pg_isready postgresql-client # readiness probes for both PostgreSQL servers
need psql postgresql-client

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all present (debootstrap, chromium, java, mvn, psql)"
  exit 0
fi

# Deduplicate (postgresql-client appears twice).
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "install-deps: installing ${missing[*]}"

# A fresh machine may have empty/stale package lists: try once as-is, then update once and retry.
if ! $SUDO apt-get install -y -q "${missing[@]}" >/tmp/install-deps.$$.log 2>&1; then
  $SUDO apt-get update -q >>/tmp/install-deps.$$.log 2>&1
  if ! $SUDO apt-get install -y -q "${missing[@]}" >>/tmp/install-deps.$$.log 2>&1; then
    echo "install-deps: apt-get install failed; last lines of the log:" >&2
    tail -n 30 /tmp/install-deps.$$.log >&2
    exit 1
  fi
fi
rm -f /tmp/install-deps.$$.log
echo "install-deps: installed ${missing[*]}"
