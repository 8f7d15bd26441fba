import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Docker does not run on our machines: the compose file, Dockerfile and proxy config are checked for the
 * structure the scale-out relies on (ops/docker/runtime-smoke.sh runs the image's start command itself).
 * js-yaml is already installed (a dependency of @nestjs/swagger; it ships no types).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { load } = require('js-yaml') as { load: (text: string) => unknown };
const ROOT = join(__dirname, '..', '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

type Service = {
  image?: string;
  build?: string;
  environment?: Record<string, string | number>;
  healthcheck?: { test: string[] };
  ports?: string[];
  deploy?: { replicas?: number };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
};

describe('docker-compose.yaml', () => {
  const compose = load(read('docker-compose.yaml')) as { services: Record<string, Service> };
  const { timescaledb, kafka, platform, proxy } = compose.services;

  it('runs TimescaleDB and a KRaft Kafka, both with health checks', () => {
    expect(timescaledb.image).toMatch(/^timescale\/timescaledb:/);
    expect(timescaledb.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(kafka.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(kafka.healthcheck?.test.join(' ')).toContain('kafka-broker-api-versions');
  });

  it('builds two platform replicas from the Dockerfile, scalable (no published port), on the shared servers', () => {
    expect(platform.build).toBe('.');
    expect(platform.deploy?.replicas).toBe(2);
    expect(platform.ports).toBeUndefined();
    expect(platform.environment?.DATABASE_URL).toMatch(/^postgres:\/\/.*@timescaledb:5432\//);
    expect(platform.environment?.KAFKA_BROKERS).toBe('kafka:9092');
    expect(platform.depends_on).toEqual({ timescaledb: { condition: 'service_healthy' }, kafka: { condition: 'service_healthy' } });
    // Every replica must get the same secrets (an instance with others refuses to start).
    expect(String(platform.environment?.ADMIN_TOKEN)).toMatch(/^\$\{ADMIN_TOKEN:\?/);
    expect(String(platform.environment?.CONTACT_ENCRYPTION_KEY)).toMatch(/^\$\{CONTACT_ENCRYPTION_KEY:\?/);
  });

  it('puts one reverse proxy in front, and the platform trusts exactly that one hop', () => {
    expect(proxy.ports).toEqual(['8080:8080']);
    expect(proxy.volumes?.some((v) => v.startsWith('./ops/docker/Caddyfile:'))).toBe(true);
    expect(platform.environment?.TRUSTED_PROXIES).toBe(1);
    const caddy = read('ops/docker/Caddyfile');
    expect(caddy).toMatch(/dynamic a \{\s*name platform\s*port 8080/);
    expect(caddy).toContain('health_uri /healthz');
    // No trusted_proxies in Caddy: it replaces a client's X-Forwarded-For with the address it saw.
    expect(caddy).not.toMatch(/^\s*trusted_proxies/m);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = [...dockerfile.matchAll(/^FROM (\S+) AS (\S+)$/gm)].map((m) => m[2]);

  it('builds in one stage and runs from a slim one as a non-root user', () => {
    expect(stages).toEqual(['build', 'runtime']);
    expect(dockerfile).toMatch(/^FROM node:\d+-bookworm-slim AS runtime$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev --ignore-scripts/);
  });

  it('checks /healthz and starts the compiled app the way `npm start` does', () => {
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    const cmd = /^CMD \[(.*)\]$/m.exec(dockerfile)![1];
    const start = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start;
    expect(`exec ${JSON.parse(`[${cmd}]`).join(' ')}`).toBe(start);
  });
});
