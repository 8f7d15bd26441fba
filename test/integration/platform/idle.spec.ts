import { Client } from 'pg';
import { startTestApp, TestApp } from '../../support/app';
import { SERVER_URL } from '../../support/database';

const WINDOW_MS = 10_000;
/**
 * Statements allowed in the 10 s window. Once started, an idle instance has two periodic jobs: one
 * log-head read per PROJECTOR_POLL_MS (30 s) and one delivery-worker pass (3 statements) per
 * ALERT_POLL_MS (30 s), so at most 4 fall into any 10 s window. What this guards against sends far more:
 * the delivery worker's 1 ms loop (~1,000/s), projector polls every 500 ms (2/s per projector, ~26/s), a
 * 5 s lag timer (one read per projector: ~26 per window), even a single one-statement loop every second (10).
 */
const MAX_STATEMENTS = 8;
/**
 * PostgreSQL (15 and later) publishes a backend's transaction counts at most once a second while busy
 * and 10 s after it went idle: the start-up's transactions may show up that late in pg_stat_database.
 */
const STATS_DELAY_MS = 12_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An instance with no traffic must be idle: the whole app (real database, real event log; Kafka when
 * KAFKA_BROKERS is set), every poll at its production default, started and left alone.
 */
describe('an idle instance', () => {
  let t: TestApp;

  beforeAll(async () => {
    // '' = the production default (startTestApp shortens the projector poll for other tests)
    t = await startTestApp({ PROJECTOR_POLL_MS: '' });
  });
  afterAll(async () => t?.close());

  /** Start-up work done: projectors caught up (the default alert rule applied), then no statement for 2 s. */
  async function settle(): Promise<void> {
    await t.runtime.catchUp();
    const deadline = Date.now() + 30_000;
    let last = t.db.statementsIssued;
    let quietSince = Date.now();
    while (Date.now() - quietSince < 2000) {
      if (Date.now() > deadline) throw new Error(`still busy 30 s after start: ${t.db.statementsIssued} statements`);
      await sleep(100);
      if (t.db.statementsIssued !== last) {
        last = t.db.statementsIssued;
        quietSince = Date.now();
      }
    }
  }

  it(`sends at most ${MAX_STATEMENTS} statements in ${WINDOW_MS / 1000} s without traffic`, async () => {
    await settle();
    const stats = SERVER_URL ? await transactionCounter(new URL(t.config.databaseUrl!).pathname.slice(1)) : undefined;
    try {
      if (stats) await sleep(STATS_DELAY_MS);
      const xactsBefore = await stats?.read();
      const before = t.db.statementsIssued;
      await sleep(WINDOW_MS);
      const statements = t.db.statementsIssued - before;
      expect(statements).toBeLessThanOrEqual(MAX_STATEMENTS);
      if (stats) {
        // The server's view too (every connection of the app, the pool's and the listener's): a statement
        // outside a transaction is one transaction, so transactions ≤ statements.
        const transactions = (await stats.read()) - xactsBefore!;
        expect(transactions).toBeLessThanOrEqual(MAX_STATEMENTS);
      }
    } finally {
      await stats?.close();
    }
  });
});

/** Committed + rolled-back transactions of `database`, read over a connection to another database. */
async function transactionCounter(database: string): Promise<{ read: () => Promise<number>; close: () => Promise<void> }> {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  return {
    read: async () => {
      await client.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await client.query<{ n: string }>('SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = $1', [database]);
      return Number(rows[0].n);
    },
    close: () => client.end(),
  };
}
