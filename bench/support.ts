import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { OpenDatabase, openDatabase } from '../src/database/open-database';
import { adminQuery, databaseUrl } from '../src/database/server-admin';
import type { LoadResult, LoadSpec } from './load-generator';

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
