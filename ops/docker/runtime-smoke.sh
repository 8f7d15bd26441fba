#!/usr/bin/env bash
# Runs what the Dockerfile's runtime stage runs, without Docker: the compiled app from a directory holding
# only what the image holds (package files, production dependencies installed with --omit=dev
# --ignore-scripts, dist/src, dist/migrations, console, schemas, plugins), started with the image's CMD on
# the embedded database; then the image's HEALTHCHECK command must pass and SIGTERM must stop it with 0.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node ops/build.js
cp package.json package-lock.json "$work/"
mkdir -p "$work/dist"
cp -r dist/src dist/migrations "$work/dist/"
cp -r console schemas plugins "$work/"
(cd "$work" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error)
[ ! -e "$work/node_modules/typescript" ] || { echo "typescript is in the runtime install" >&2; exit 1; }
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
mkdir -p "$work/data"
(cd "$work" && exec env -i PATH="$PATH" HOME="$work" NODE_ENV=production PORT="$port" HOST=127.0.0.1 DATA_DIR="$work/data" LOG_LEVEL=info \
  node dist/src/main.js) >"$work/out.log" 2>&1 &
pid=$!
for _ in $(seq 1 240); do
  grep -q "listening on" "$work/out.log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/out.log"; echo "the app exited" >&2; exit 1; }
  sleep 0.5
done
# The image's HEALTHCHECK, verbatim.
(cd "$work" && PORT=$port node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))")
echo "healthcheck passed"
kill -TERM "$pid"
wait "$pid" && echo "stopped cleanly" || { cat "$work/out.log"; exit 1; }
