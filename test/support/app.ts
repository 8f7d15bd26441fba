import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AdminToken } from '../../src/auth/admin-token';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import type { Env } from '../../src/config/env-readers';
import { createApp } from '../../src/create-app';
import { Database } from '../../src/database/database';
import { adminQuery } from '../../src/database/server-admin';
import { deleteTopics } from '../../src/event-log/kafka-event-log';
import { ProjectorRuntime } from '../../src/event-log/projector-runtime';
import { KAFKA_BROKERS, SERVER_URL, urlFor } from './database';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/**
 * The k-anonymity floors are on by default (k = 5). Tests that check the spec's numbers on a handful of
 * fixture machines/installations turn them off, explicitly, with this.
 */
export const WITHOUT_PRIVACY_FLOOR = Object.freeze({ REPORT_MIN_INSTALLATIONS: '1', ANALYTICS_MIN_MACHINES: '1' });

export type TestApp = Readonly<{
  app: NestFastifyApplication;
  config: AppConfig;
  db: Database;
  runtime: ProjectorRuntime;
  /** Authorization header for console/admin routes. */
  auth: Readonly<{ authorization: string }>;
  close: () => Promise<void>;
}>;

/**
 * The real application on a fresh database (embedded TimescaleDB in a temp dir, or a new database on
 * DATABASE_URL's server) and the real event log (Kafka when KAFKA_BROKERS is set). Drive it with
 * `app.inject(...)` (no socket) or `app.listen` for clients that need one.
 */
export async function startTestApp(env: Env = {}): Promise<TestApp> {
  const run = randomUUID().replaceAll('-', '').slice(0, 12);
  let cleanup: () => Promise<void>;
  let base: Record<string, string>;
  if (SERVER_URL) {
    const name = `it_${run}`;
    await admin(`CREATE DATABASE ${name}`);
    // Own topics per app: a fresh database must not start by consuming every earlier run's events.
    const topicPrefix = `it-${run}.`;
    base = { DATABASE_URL: urlFor(name), KAFKA_BROKERS: KAFKA_BROKERS.join(','), KAFKA_CLIENT_ID: `it-${run}`, KAFKA_TOPIC_PREFIX: topicPrefix, DB_POOL_SIZE: '4' };
    cleanup = async () => {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      if (KAFKA_BROKERS.length > 0) await deleteTopics(KAFKA_BROKERS, topicPrefix);
    };
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'tp-app-'));
    base = { DATA_DIR: dataDir };
    cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
  }
  const config = loadConfig({ LOG_LEVEL: 'error', PROJECTOR_POLL_MS: '50', ...base, ...env });
  // modules read their own settings (FUEL_*, CLR_*, SUBMIT_* …) from the same overrides
  const app = await createApp(config, AdminToken.of(TEST_ADMIN_TOKEN), { ...process.env, ...env });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    config,
    db: app.get(Database),
    runtime: app.get(ProjectorRuntime),
    auth: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    close: async () => {
      await app.close();
      await cleanup();
    },
  };
}

const admin = (sql: string) => adminQuery(SERVER_URL!, sql);

