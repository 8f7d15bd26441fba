import { randomUUID } from 'node:crypto';
import { LogUnavailable } from '../../../src/common/errors';
import { AppConfig, loadConfig } from '../../../src/config/app-config';
import { Database } from '../../../src/database/database';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from '../../../src/database/orm';
import { TelemetryEvent } from '../../../src/event-log/event';
import { createEventInfrastructure, EventInfrastructure } from '../../../src/event-log/event-infrastructure';
import { eventLogMetrics } from '../../../src/event-log/event-log.metrics';
import { KafkaEventLog } from '../../../src/event-log/kafka-event-log';
import { PostgresEventLog } from '../../../src/event-log/postgres-event-log';
import { Projector } from '../../../src/event-log/projector';
import { Metrics } from '../../../src/metrics/metrics';
import { eventually, freshDatabase, KAFKA_BROKERS, TestDatabase } from '../../support/database';
import { anEvent } from '../../support/events';

/**
 * One contract, both adapters: the Postgres log always, Kafka when KAFKA_BROKERS is set (CI stage).
 * The test projector counts with a non-idempotent UPDATE, so any double application shows up.
 */
const adapters: ('postgres' | 'kafka')[] = KAFKA_BROKERS.length > 0 ? ['postgres', 'kafka'] : ['postgres'];

describe.each(adapters)('event log contract (%s)', (adapter) => {
  let database: TestDatabase;
  let config: AppConfig;
  let infra: EventInfrastructure | undefined;
  const run = randomUUID().slice(0, 8);
  const type = `test.counted-${run}.happened`;
  let failNext = new Set<string>();

  const counter: Projector = {
    name: `counter_${run}`,
    version: 1,
    streams: ['platform.admin'],
    eventTypes: [type],
    tables: ['it_counter_events'],
    project: (e) => {
      if (failNext.delete(e.id)) throw new Error(`induced failure on ${e.id}`);
      return [
        { kind: 'sql', sql: 'UPDATE it_counter SET n = n + 1 WHERE name = $1', params: [run] },
        { kind: 'insert', table: 'it_counter_events', rows: [{ event_id: e.id }] },
      ];
    },
  };

  const start = async () => {
    infra = createEventInfrastructure(config, database.db, new Metrics(false), () => undefined);
    infra.runtime.register(counter);
    await infra.log.start();
    await infra.runtime.start();
    return infra;
  };
  const stop = async () => {
    await infra?.runtime.stop();
    await infra?.log.stop();
    infra = undefined;
  };
  const count = async () => (await database.db.query<{ n: number }>('SELECT n FROM it_counter WHERE name = $1', [run]))[0].n;
  const applied = async () => (await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM it_counter_events'))[0].n;
  const events = (n: number) => Array.from({ length: n }, () => anEvent({ type, key: `k${Math.floor(Math.random() * 5)}` }));

  beforeAll(async () => {
    database = await freshDatabase();
    config = loadConfig({
      DATABASE_URL: adapter === 'kafka' ? (database.url ?? 'postgres://unused') : database.url,
      KAFKA_BROKERS: adapter === 'kafka' ? KAFKA_BROKERS.join(',') : '',
      KAFKA_CLIENT_ID: `it-${run}`,
      KAFKA_TOPIC_PREFIX: `it-${run}.`,
      PROJECTOR_POLL_MS: '50',
      APPEND_TIMEOUT_MS: '4000',
    });
    await database.db.query('CREATE TABLE it_counter (name text PRIMARY KEY, n int NOT NULL)');
    await database.db.query('CREATE TABLE it_counter_events (event_id uuid NOT NULL)');
    await database.db.query('INSERT INTO it_counter VALUES ($1, 0)', [run]);
  });
  afterEach(stop);
  afterAll(async () => database?.drop());

  it('acknowledges appends only once they are durable, and refuses a duplicate id', async () => {
    const { log } = await start();
    const batch = events(50);
    const outcomes = await Promise.all(batch.map((e) => log.appendOne(e)));
    expect(outcomes.every((o) => o.appended)).toBe(true);
    const again = await log.append([batch[0], batch[1]]);
    expect(again.map((o) => o.appended)).toEqual([false, false]);
    const sameBatchTwice = events(1)[0];
    expect((await log.append([sameBatchTwice, sameBatchTwice])).map((o) => o.appended)).toEqual([true, false]);
    await eventually(async () => (await count()) === 51, 30_000, 'projector to apply 51 events');
    expect(await applied()).toBe(51);
  });

  it('resumes from the checkpoint after a restart without re-applying', async () => {
    const before = await count();
    let { log } = await start();
    await log.append(events(20));
    await eventually(async () => (await count()) === before + 20, 30_000, 'first 20');
    await stop();

    const offline = events(15); // appended while the projector is down
    ({ log } = await start());
    await infra!.runtime.stop(); // keep the log, stop the consumer
    await log.append(offline);
    await infra!.runtime.start();
    await eventually(async () => (await count()) === before + 35, 30_000, 'the 15 appended while stopped');
    await new Promise((r) => setTimeout(r, 500));
    expect(await count()).toBe(before + 35);
  });

  it('re-delivers a failed batch and applies it exactly once', async () => {
    const before = await count();
    const { log } = await start();
    const batch = events(10);
    failNext = new Set([batch[4].id]);
    await log.append(batch);
    await eventually(async () => (await count()) === before + 10, 40_000, 'batch after induced failure');
    expect(failNext.size).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(await count()).toBe(before + 10);
  });

  it('rebuilds a projection from the log with progress (replay)', async () => {
    const { log, runtime } = await start();
    await log.append(events(5));
    await runtime.catchUp([counter.name]);
    const total = await applied();
    await database.db.query('UPDATE it_counter SET n = 0 WHERE name = $1', [run]);
    const progress: number[] = [];
    const result = await runtime.replay(counter.name, (p) => progress.push(p.processed));
    expect(result).toMatchObject({ done: true, processed: total, total });
    expect(progress[progress.length - 1]).toBe(total);
    expect(await applied()).toBe(total);
    expect(await count()).toBe(total);
    await log.append(events(3));
    await eventually(async () => (await applied()) === total + 3, 30_000, 'live feed after replay');
  });

  it('rejects with LogUnavailable (503) when the log cannot be reached', async () => {
    const metrics = eventLogMetrics(new Metrics(false));
    const deadOrm = await MikroORM.init({ ...ormConfig({ url: 'postgres://postgres@127.0.0.1:1/none', poolSize: 1 }), connect: false });
    const deadDb = new Database(deadOrm);
    const log =
      adapter === 'postgres'
        ? new PostgresEventLog(deadDb, metrics, { batchMaxEvents: 10, batchMaxWaitMs: 1, timeoutMs: 3000 })
        : new KafkaEventLog(database.db, metrics, {
            brokers: ['127.0.0.1:1'],
            clientId: `dead-${run}`,
            topicPrefix: '',
            partitions: 1,
            batchMaxEvents: 10,
            batchMaxWaitMs: 1,
            timeoutMs: 3000,
            dedupeWindowHours: 48,
          });
    const event: TelemetryEvent = events(1)[0];
    const started = Date.now();
    await expect(log.appendOne(event)).rejects.toBeInstanceOf(LogUnavailable);
    expect(Date.now() - started).toBeLessThan(8000);
    if (adapter === 'kafka') {
      // nothing was acknowledged, so the id must not be claimed: the client's retry is accepted later
      const claims = await database.db.query('SELECT 1 FROM event_claims WHERE id = $1', [event.id]);
      expect(claims).toHaveLength(0);
    }
    await deadOrm.close(true);
  });
});
