# syntax=docker/dockerfile:1
# Production image: compiled in a build stage, run from a slim image with production dependencies only,
# as the unprivileged `node` user. `docker compose up --scale platform=N` runs N of these (docker-compose.yaml).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Full install (TypeScript and the other build tools); `prepare` would build before the sources are here.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY ops/build.js ops/build.js
COPY src src
COPY migrations migrations
# The build covers the benches too (tsconfig.build.json), which use test helpers.
COPY bench bench
COPY test/support test/support
RUN node ops/build.js

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0 DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` builds (needs TypeScript, a dev dependency); the build stage already did.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/src dist/src
COPY --from=build /app/dist/migrations dist/migrations
COPY console console
COPY schemas schemas
COPY plugins plugins
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
# Not `npm start`: its prestart runs the build check, which needs TypeScript; the image is built already.
CMD ["node", "dist/src/main.js"]
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
