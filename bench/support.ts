import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { OpenDatabase, openDatabase } from '../src/database/open-database';
import { adminQuery, databaseUrl } from '../src/database/server-admin';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AdminToken } from '../src/auth/admin-token';
import { loadConfig } from '../src/config/app-config';
import { createApp } from '../src/create-app';

/** Nearest-rank percentile of sorted milliseconds. */
export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)];
}

export function report(values: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(values)}\n`);
}

export type BenchDatabase = OpenDatabase & { label: 'embedded' | 'external'; drop: () => Promise<void> };

/** Embedded in a temp dir, or a throw-away database on `serverUrl`'s server. */
export async function benchDatabase(serverUrl?: string, poolSize = 10): Promise<BenchDatabase> {
  if (!serverUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'tp-bench-'));
    const open = await openDatabase({ dataDir, dbPoolSize: 1 });
    return { ...open, label: 'embedded', drop: async () => { await open.close(); rmSync(dataDir, { recursive: true, force: true }); } };
  }
  const name = `bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const open = await openDatabase({ databaseUrl: databaseUrl(serverUrl, name), dataDir: '', dbPoolSize: poolSize });
  return {
    ...open,
    label: 'external',
    drop: async () => {
      await open.close();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}


/**
 * The real app listening on a loopback port: embedded in a temp dir, or on a throw-away database on
 * DATABASE_URL's server with its own Kafka client id (KAFKA_BROKERS), so counts see only this run.
 */
export async function startBenchApp(): Promise<{ app: NestFastifyApplication; port: number; mode: string; close: () => Promise<void> }> {
  const run = randomUUID().replaceAll('-', '').slice(0, 12);
  const serverUrl = process.env.DATABASE_URL;
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-bench-app-'));
  const name = `bench_${run}`;
  if (serverUrl) await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'error', PORT: '0', KAFKA_CLIENT_ID: `bench-${run}` } as Record<string, string>;
  if (serverUrl) env.DATABASE_URL = databaseUrl(serverUrl, name);
  const config = loadConfig(env);
  const app = await createApp(config, AdminToken.of('bench-admin-token-0123456789'));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    app,
    port,
    mode: config.databaseUrl ? (config.kafkaBrokers.length ? 'timescaledb+kafka' : 'external') : 'embedded',
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (serverUrl) await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Polls `count()` until it reaches `target` or stops growing for `idleMs`; returns the last count. */
export async function waitForCount(count: () => Promise<number>, target: number, idleMs = 30_000): Promise<number> {
  let last = -1;
  let since = Date.now();
  for (;;) {
    const n = await count();
    if (n >= target) return n;
    if (n !== last) {
      last = n;
      since = Date.now();
    } else if (Date.now() - since > idleMs) return n;
    await new Promise((r) => setTimeout(r, 250));
  }
}
