import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../../src/config/app-config';
import { createEventInfrastructure, EventInfrastructure } from '../../../src/event-log/event-infrastructure';
import { Projector } from '../../../src/event-log/projector';
import { Metrics } from '../../../src/metrics/metrics';
import { eventually, freshDatabase, KAFKA_BROKERS, TestDatabase } from '../../support/database';
import { anEvent } from '../../support/events';

/**
 * One event a projector cannot apply must not stop the events behind it: it is set aside in
 * projector_quarantine, the others are applied, and it can be retried after a fix. A failure that is not
 * the event's (here: a table missing until the "deployment" creates it) sets nothing aside and is retried.
 */
describe.each(KAFKA_BROKERS.length > 0 ? ['postgres', 'kafka'] : ['postgres'])('projector quarantine (%s log)', (adapter) => {
  let database: TestDatabase;
  let infra: EventInfrastructure | undefined;
  const run = randomUUID().slice(0, 8);
  const type = `test.doc-${run}.stored`;
  const name = `docs_${run}`;
  const table = `it_docs_${run}`;
  /** Stands for a projection fixed after the fact: the retry applies the event with the fixed code. */
  let fixed = false;

  const docs: Projector = {
    name,
    version: 1,
    streams: ['platform.admin'],
    eventTypes: [type],
    tables: [table],
    project: (e) => {
      const text = (e.data as { text: string }).text;
      if (text === 'throws') throw new RangeError('Maximum call stack size exceeded');
      // jsonb refuses \u0000 (SQLSTATE 22P05) — the poison of the issue; the "fix" strips it.
      const doc = JSON.stringify({ text: fixed ? text.replaceAll('\u0000', '') : text });
      return [{ kind: 'insert', table, rows: [{ event_id: e.id, doc }], conflict: { target: ['event_id'], action: 'nothing' } }];
    },
  };
  const event = (text: string) => anEvent({ type, data: { text } });
  const stored = async () => (await database.db.query<{ text: string }>(`SELECT doc->>'text' AS text FROM ${table} ORDER BY text`)).map((r) => r.text);

  const start = async () => {
    const config = loadConfig({
      DATABASE_URL: adapter === 'kafka' ? (database.url ?? 'postgres://unused') : database.url,
      KAFKA_BROKERS: adapter === 'kafka' ? KAFKA_BROKERS.join(',') : '',
      KAFKA_CLIENT_ID: `it-q-${run}`,
      KAFKA_TOPIC_PREFIX: `it-q-${run}.`,
      PROJECTOR_POLL_MS: '50',
    });
    infra = createEventInfrastructure(config, database.db, new Metrics(false), () => undefined);
    infra.runtime.register(docs);
    await infra.log.start();
    await infra.runtime.start();
    return infra;
  };

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await infra?.runtime.stop();
    await infra?.log.stop();
    await database?.drop();
  });

  it('retries, without setting anything aside, while the failure is the deployment’s (a missing table)', async () => {
    const { log, runtime } = await start();
    await log.append([event('first')]);
    await new Promise((r) => setTimeout(r, 600));
    expect(await runtime.quarantined(name)).toEqual([]);
    await database.db.query(`CREATE TABLE ${table} (event_id uuid PRIMARY KEY, doc jsonb NOT NULL)`);
    await runtime.catchUp([name], 60_000);
    expect(await stored()).toEqual(['first']);
  });

  it('sets a poison event aside and applies the events behind it, in the same batch and after', async () => {
    const { log, runtime } = infra!;
    const poison = event('bad\u0000text');
    const throws = event('throws');
    await log.append([event('before'), poison, throws, event('after')]);
    await runtime.catchUp([name], 60_000);
    await log.append([event('later')]);
    await runtime.catchUp([name], 60_000);
    expect(await stored()).toEqual(['after', 'before', 'first', 'later']);
    const aside = await runtime.quarantined(name);
    expect(aside.map((q) => q.event_id).sort()).toEqual([poison.id, throws.id].sort());
    expect(aside.find((q) => q.event_id === poison.id)).toMatchObject({ event_type: type, attempts: 1, error: expect.stringMatching(/Unicode|\\u0000|0x00/i) });
    expect((await runtime.status()).find((s) => s.name === name)?.quarantined).toBe(2);
  });

  it('retries a quarantined event: still failing it stays (one more attempt), after the fix it is applied and released', async () => {
    const { runtime } = infra!;
    const [poison] = (await runtime.quarantined(name)).filter((q) => q.error !== 'Maximum call stack size exceeded');
    expect(await runtime.retryQuarantined(name, poison.event_id)).toMatchObject({ applied: false });
    expect((await runtime.quarantined(name)).find((q) => q.event_id === poison.event_id)?.attempts).toBe(2);
    fixed = true;
    await eventually(async () => (await runtime.retryQuarantined(name, poison.event_id)).applied, 20_000, 'the retry to apply');
    expect(await stored()).toContain('badtext');
    expect((await runtime.quarantined(name)).map((q) => q.event_id)).not.toContain(poison.event_id);
    await expect(runtime.retryQuarantined(name, poison.event_id)).rejects.toMatchObject({ status: 404 });
  });
});
