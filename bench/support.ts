import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { OpenDatabase, openDatabase } from '../src/database/open-database';
import { adminQuery, databaseUrl } from '../src/database/server-admin';

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

