import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { OpenDatabase, openDatabase } from '../../src/database/open-database';
import { adminQuery, databaseUrl } from '../../src/database/server-admin';

/**
 * A fresh, migrated database for one test file. With DATABASE_URL set (CI stages: plain PostgreSQL 15,
 * Apache TimescaleDB) a new database is created on that server and dropped afterwards; without it the
 * embedded TimescaleDB runs in a temporary data dir, exactly as `npm start` does.
 */
export type TestDatabase = OpenDatabase & Readonly<{ url?: string; dataDir?: string; drop: () => Promise<void> }>;

export const SERVER_URL = process.env.DATABASE_URL || undefined;
export const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export async function freshDatabase(): Promise<TestDatabase> {
  if (!SERVER_URL) {
    const dataDir = mkdtempSync(join(tmpdir(), 'tp-it-'));
    const open = await openDatabase({ dataDir, dbPoolSize: 1 });
    return { ...open, dataDir, drop: async () => { await open.close(); rmSync(dataDir, { recursive: true, force: true }); } };
  }
  const name = `it_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = urlFor(name);
  const open = await openDatabase({ databaseUrl: url, dataDir: '', dbPoolSize: 4 });
  return {
    ...open,
    url,
    drop: async () => {
      await open.close();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export function urlFor(database: string): string {
  return databaseUrl(SERVER_URL!, database);
}

const admin = (sql: string) => adminQuery(SERVER_URL!, sql);

/** Polls until `check` returns true (for effects that land asynchronously, e.g. a projector). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
