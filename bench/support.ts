import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { OpenDatabase, openDatabase } from '../src/database/open-database';
import { adminQuery, databaseUrl } from '../src/database/server-admin';
import type { LoadResult, LoadSpec } from './load-generator';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AdminToken } from '../src/auth/admin-token';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { createApp } from '../src/create-app';
import { deleteTopics } from '../src/event-log/kafka-event-log';

/** Nearest-rank percentile of sorted milliseconds. */
/** A loopback port that was free a moment ago (for an app started as a child process). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

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
  const server = await benchServerDatabase(serverUrl);
  const open = await openDatabase({ databaseUrl: server.url, dataDir: '', dbPoolSize: poolSize });
  return {
    ...open,
    label: 'external',
    drop: async () => {
      await open.close();
      await server.drop();
    },
  };
}

/** Drives `spec` from a child process (bench/load-generator) and resolves with its numbers. */
export function generateLoad(spec: LoadSpec): Promise<LoadResult> {
  const child = fork(join(__dirname, 'load-generator.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { result?: LoadResult; error?: string }) => (m.result ? resolve(m.result) : reject(new Error(m.error))));
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
    child.send(spec);
  });
}

/** A throw-away database on `serverUrl`'s server for an app under benchmark. */
export async function benchServerDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  return { url: databaseUrl(serverUrl, name), drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** CPU time (all threads of this process) spent while `work` ran. */
export async function measureCpu<T>(work: () => Promise<T>): Promise<{ value: T; cpuMs: number }> {
  const before = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(before);
  return { value, cpuMs: (used.user + used.system) / 1000 };
}

/** The servers an app under benchmark runs on: none (embedded), a database server, and optionally Kafka. */
export type BenchServers = Readonly<{ databaseUrl?: string; kafkaBrokers?: string }>;

export function benchServersFromEnv(): BenchServers {
  return { databaseUrl: process.env.DATABASE_URL || undefined, kafkaBrokers: process.env.KAFKA_BROKERS || undefined };
}

export type BenchApp = Readonly<{ app: NestFastifyApplication; config: AppConfig; baseUrl: string; close: () => Promise<void> }>;

/**
 * The real platform listening on loopback, on a fresh database (embedded in a temp dir, or a new database
 * on DATABASE_URL's server) and, with KAFKA_BROKERS, on topics of its own; all removed by `close`.
 */
export async function startBenchApp(env: Record<string, string> = {}, servers: BenchServers = benchServersFromEnv()): Promise<BenchApp> {
  const run = randomUUID().slice(0, 8);
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-bench-app-'));
  const server = servers.databaseUrl ? await benchServerDatabase(servers.databaseUrl) : undefined;
  const topicPrefix = `bench-${run}.`;
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: server?.url ?? '',
    KAFKA_BROKERS: servers.kafkaBrokers ?? '',
    KAFKA_TOPIC_PREFIX: topicPrefix,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    ...env,
  });
  const app = await createApp(config, AdminToken.of(BENCH_ADMIN_TOKEN));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await server?.drop();
      if (config.kafkaBrokers.length > 0) await deleteTopics(config.kafkaBrokers, topicPrefix);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789';

export function modeOf(config: AppConfig): string {
  return config.databaseUrl ? (config.kafkaBrokers.length ? 'timescaledb+kafka' : 'external') : 'embedded';
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
