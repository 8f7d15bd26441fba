#!/usr/bin/env bash
# Deliberately does nothing: ops/postgres/start.sh uses the machine's system PostgreSQL, which
# other projects and services on the machine share, so tests must not stop it.
set -euo pipefail
echo "postgres: system service left running (nothing to stop)"
