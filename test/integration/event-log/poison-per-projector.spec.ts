import { seedDemo, startOfUtcDay } from '../../../src/cli/seed/seed-demo.run';
import { EventLog } from '../../../src/event-log/event-log';
import { newEventId, TelemetryEvent } from '../../../src/event-log/event';
import { consumes, Projector } from '../../../src/event-log/projector';
import { DEFAULT_TELEMETRY_ID } from '../../../src/sources/clearlinux/ingest/record-parser';
import { startTestApp, TestApp } from '../../support/app';
import { listen } from '../../support/browser';

/**
 * Issue "one bad event never stops a pipeline", per projector of the real app: for each, one event it cannot
 * apply (a real event of its kind from the demo data with a NUL or half a surrogate pair in a string it
 * stores, as an event logged before the ingest checks would be) and then one it can (the real event again,
 * under a new id). The first is
 * set aside in the quarantine, the second is applied, and every projector's lag returns to 0.
 */
const NOT_POISONABLE: Readonly<Record<string, string>> = {
  // It copies Kafka events verbatim into event_log, a json column (not jsonb), which keeps any text JSON
  // can carry: the archive must hold whatever the log holds.
  archiver: 'stores every event as it is',
  // Documents are stored in a form that round-trips any text (src/common/storable-json.ts), which its own
  // tests show; a payload it cannot decode is stored as null.
  'submission-documents': 'stores any text it is given',
};

/** What PostgreSQL text, json and jsonb refuse: a NUL, and a UTF-16 half without its other half. */
const POISONS = ['\u0000', '\ud800'];

/** The event with `poison` appended to one string of its data, for every string (keys excepted) in turn. */
function* poisonedVariants(event: TelemetryEvent): Generator<TelemetryEvent> {
  const paths: (string | number)[][] = [];
  const visit = (value: unknown, path: (string | number)[]) => {
    if (typeof value === 'string') paths.push(path);
    else if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
  };
  visit(event.data, []);
  for (const path of paths) {
    for (const poison of POISONS) {
      const data = structuredClone(event.data) as Record<string | number, unknown>;
      let node = data;
      for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
      node[path[path.length - 1]] = `${node[path[path.length - 1]] as string}${poison}`;
      yield { ...event, id: newEventId(), data };
    }
  }
}

/**
 * An event of the projector's that must fail at the database: a real one whose rows it writes, with a poison
 * in a string that reaches those rows (or that makes the projection itself throw).
 */
function poisonFor(p: Projector, logged: readonly TelemetryEvent[]): Readonly<{ sample: TelemetryEvent; poison: TelemetryEvent }> | undefined {
  for (const event of logged.filter((e) => consumes(p, e.type) && p.project(e).length > 0).slice(0, 20)) {
    for (const variant of poisonedVariants(event)) {
      try {
        if (/\\u0000|\\ud800/.test(JSON.stringify(p.project(variant)))) return { sample: event, poison: variant };
      } catch {
        return { sample: event, poison: variant };
      }
    }
  }
  return undefined;
}

describe('a poison event per projector', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    const url = await listen(t);
    const report = await seedDemo({
      url,
      seed: 11,
      anchor: startOfUtcDay(new Date()),
      clearLinux: { count: 80, days: 3, telemetryId: DEFAULT_TELEMETRY_ID },
      fuelInstallations: 2,
      submissions: 12,
      nodeSessions: 0,
      concurrency: 4,
    });
    expect(report.failed).toBe(0);
    await t.runtime.catchUp(t.runtime.names(), 120_000);
    // The admin edits the demo does not make: a never-guilty frame and a guilty's comment.
    const send = (method: 'POST' | 'PATCH', path: string, body: unknown) =>
      t.app.inject({ method, url: path, headers: { ...t.auth, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect((await send('POST', '/api/clearlinux/never-guilty', { mark: [{ function: 'poison_probe()', module: 'libprobe.so' }] })).statusCode).toBeLessThan(300);
    const [guilty] = await t.db.query<{ id: string }>(`SELECT guilty_id::text AS id FROM crashes WHERE guilty_id IS NOT NULL LIMIT 1`);
    expect((await send('PATCH', `/api/clearlinux/guilties/${guilty.id}`, { comment: 'probe' })).statusCode).toBeLessThan(300);
    await t.runtime.catchUp(t.runtime.names(), 120_000);
  }, 300_000);
  afterAll(async () => t?.close());

  it('sets each projector’s poison event aside and applies the event behind it', async () => {
    const logged = (await t.db.query<{ payload: string }>(`SELECT payload::text AS payload FROM event_log ORDER BY position`)).map(
      (r) => JSON.parse(r.payload) as TelemetryEvent,
    );
    const planned = t.runtime
      .projectors()
      .filter((p) => !(p.name in NOT_POISONABLE))
      .map((p) => {
        const found = poisonFor(p, logged);
        // the same event as it really was, under a new id: one the projector can apply
        return { name: p.name, poison: found?.poison, next: found && { ...found.sample, id: newEventId() } };
      });
    // Every projector is covered: the demo data gives each one an event whose rows a poison can reach.
    expect(planned.filter((p) => !p.poison).map((p) => p.name)).toEqual([]);

    const log = t.app.get(EventLog);
    for (const p of planned) await log.append([p.poison!, p.next!]);
    await t.runtime.catchUp(t.runtime.names(), 120_000);

    const outcome = await Promise.all(
      planned.map(async (p) => {
        const aside = (await t.runtime.quarantined(p.name)).map((q) => q.event_id);
        return { name: p.name, poisonSetAside: aside.includes(p.poison!.id), nextApplied: !aside.includes(p.next!.id) };
      }),
    );
    expect(outcome).toEqual(planned.map((p) => ({ name: p.name, poisonSetAside: true, nextApplied: true })));
    expect((await t.runtime.status()).filter((s) => s.lag !== 0).map((s) => s.name)).toEqual([]);
  }, 300_000);

  it('lists what was set aside on the admin console, and a retry that still fails keeps it there', async () => {
    const [first] = await t.runtime.quarantined();
    const page = await t.app.inject({ method: 'GET', url: '/console/admin/quarantine', headers: t.auth });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`data-event="${first.event_id}"`);
    expect(page.body.match(/<tr data-event=/g)?.length).toBe((await t.runtime.quarantined()).length);

    const retry = await t.app.inject({ method: 'POST', url: `/console/admin/quarantine/${first.projector}/${first.event_id}/retry`, headers: t.auth });
    expect(retry.statusCode).toBe(303);
    expect(retry.headers.location).toBe(`/console/admin/quarantine?retried=${first.event_id}&outcome=still-failing`);
    const after = (await t.runtime.quarantined(first.projector)).find((q) => q.event_id === first.event_id);
    expect(after?.attempts).toBe(first.attempts + 1);
  });
});
