import { Client } from 'pg';
import { LISTENER_APPLICATION_NAME } from '../../../src/event-log/append-listener';
import { EventLog } from '../../../src/event-log/event-log';
import { Projector } from '../../../src/event-log/projector';
import { startTestApp, TestApp } from '../../support/app';
import { eventually, SERVER_URL } from '../../support/database';
import { anEvent } from '../../support/events';

const PROBE_TYPE = 'test.notify.probe';
/** Far beyond every wait below: only a notification (or the listener's catch-up after a reconnect) can wake B in time. */
const SAFETY_POLL_MS = '600000';

/**
 * Two instances on one external database (the Postgres event log, also in the Kafka CI stage): an append
 * committed by A wakes B's projectors through LISTEN/NOTIFY at once, not at B's safety poll, and still
 * does after the listener's connection was killed. Embedded mode has a single process, nothing to notify.
 */
(SERVER_URL ? describe : describe.skip)('appends of one instance wake the projectors of another (LISTEN/NOTIFY)', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: Client;
  /** Event id → when B's probe projector committed it. */
  const seenByB = new Map<string, number>();
  const probe: Projector = {
    name: 'it-notify-probe',
    version: 1,
    streams: ['platform.admin'],
    eventTypes: [PROBE_TYPE],
    tables: [],
    project: () => [],
    afterCommit: (events) => events.forEach((e) => seenByB.set(e.id, Date.now())),
  };
  const database = () => new URL(a.config.databaseUrl!).pathname.slice(1);
  const listeners = async () =>
    (await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [database(), LISTENER_APPLICATION_NAME])).rows.length;

  beforeAll(async () => {
    const env = { KAFKA_BROKERS: '', PROJECTOR_POLL_MS: SAFETY_POLL_MS };
    a = await startTestApp(env);
    b = await startTestApp({ ...env, DATABASE_URL: a.config.databaseUrl! });
    b.runtime.register(probe);
    await b.runtime.catchUp([probe.name]);
    admin = new Client({ connectionString: SERVER_URL });
    await admin.connect();
    await eventually(async () => (await listeners()) === 2, 10_000, 'both instances listening');
  });
  afterAll(async () => {
    await admin?.end();
    await b?.close();
    await a?.close();
  });

  async function appendOnA(): Promise<{ id: string; at: number }> {
    const event = anEvent({ type: PROBE_TYPE });
    const at = Date.now();
    const [outcome] = await a.app.get(EventLog).append([event]);
    expect(outcome.appended).toBe(true);
    return { id: event.id, at };
  }

  it("B's projector applies A's append within a second", async () => {
    const { id, at } = await appendOnA();
    await eventually(async () => seenByB.has(id), 5000, "B's probe to see A's event");
    expect(seenByB.get(id)! - at).toBeLessThan(1000);
  });

  it('B still hears of appends after its listener connection was killed', async () => {
    // waits until the backends are gone, so the append below is committed while nobody listens
    await admin.query('SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [
      database(),
      LISTENER_APPLICATION_NAME,
    ]);
    const { id, at } = await appendOnA();
    await eventually(async () => seenByB.has(id), 10_000, "B's probe to see the event appended while it was not listening");
    // reconnect back-off starts at 250 ms; the listener then announces the head, so B catches up at once
    expect(seenByB.get(id)! - at).toBeLessThan(5000);
    await eventually(async () => (await listeners()) === 2, 10_000, 'both instances listening again');
    const next = await appendOnA();
    await eventually(async () => seenByB.has(next.id), 5000, "B's probe to see the next event");
    expect(seenByB.get(next.id)! - next.at).toBeLessThan(1000);
  });
});
