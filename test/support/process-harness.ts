import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../src/database/database';
import { openDatabase } from '../../src/database/open-database';
import { deleteTopics } from '../../src/event-log/kafka-event-log';
import { freshDatabase, KAFKA_BROKERS, SERVER_URL, TestDatabase } from './database';
import { PlatformProcess, startPlatform } from './platform-process';

export type ProcessHarness = Readonly<{
  /** The platform as a child process on this test's database (and Kafka topics), with the admin token. */
  start: () => Promise<PlatformProcess>;
  /** The database the processes used (embedded: opened once no process holds it, which is one client only). */
  withDatabase: <T>(work: (db: Queryable) => Promise<T>) => Promise<T>;
  /** 'embedded', 'PostgreSQL', 'TimescaleDB', with ' + Kafka' when the log is Kafka. */
  mode: () => Promise<string>;
}>;

/**
 * For process tests of one file: before each test a fresh database (embedded in a temp dir, or a new one on
 * DATABASE_URL's server) and Kafka topics of its own; after each, every process it started is killed and all
 * of it removed. Call at the top of a `describe`.
 */
export function processHarness(name: string, token: string): ProcessHarness {
  const run = randomUUID().slice(0, 8);
  const prefix = `${name}-${run}.`;
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  let env: Record<string, string> = {};
  const started: PlatformProcess[] = [];

  beforeEach(async () => {
    // info: startPlatform waits for the "listening on" line, and tests wait for the "<signal>: stopping" one
    env = { LOG_LEVEL: 'info', KAFKA_TOPIC_PREFIX: prefix, KAFKA_CLIENT_ID: `${name}-${run}` };
    if (SERVER_URL) {
      database = await freshDatabase();
      env.DATABASE_URL = database.url!;
    } else {
      dataDir = mkdtempSync(join(tmpdir(), `tp-${name}-`));
      env.DATA_DIR = dataDir;
    }
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((p) => p.kill9()));
    if (database) await database.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (KAFKA_BROKERS.length > 0) await deleteTopics(KAFKA_BROKERS, prefix);
    database = undefined;
    dataDir = undefined;
  });

  return {
    start: async () => {
      const platform = await startPlatform(env, token);
      started.push(platform);
      return platform;
    },
    withDatabase: async (work) => {
      if (database) return work(database.db);
      const opened = await openDatabase({ dataDir: dataDir!, dbPoolSize: 1 });
      try {
        return await work(opened.db);
      } finally {
        await opened.close();
      }
    },
    mode: async () => {
      if (!database) return 'embedded';
      const timescale = (await database.db.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`)).length > 0;
      return `${timescale ? 'TimescaleDB' : 'PostgreSQL'}${KAFKA_BROKERS.length > 0 ? ' + Kafka' : ''}`;
    },
  };
}
