import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { deleteTopics } from '../../src/event-log/kafka-event-log';
import { v4Headers } from '../support/clearlinux-headers';
import { freshDatabase, KAFKA_BROKERS, SERVER_URL, TestDatabase } from '../support/database';
import { PlatformProcess, startPlatform } from '../support/platform-process';

const TOKEN = 'two-instances-admin-token-0123';
const CONTACT_KEY = randomBytes(32).toString('base64');
const RECORDS = 1200;

/**
 * Two real app processes on one database (the PostgreSQL log, and with KAFKA_BROKERS also the Kafka log):
 * records are spread over both, one is killed -9 mid-load and the test, playing the load balancer, retries
 * on the survivor. Every acknowledged record is stored once, the projector work summed over both is about
 * one application per event, and the survivor takes over what the dead one ran. Needs DATABASE_URL (an
 * embedded database serves one process).
 */
const modes: [string, boolean][] = [
  ['PostgreSQL log', true],
  ['Kafka log (needs KAFKA_BROKERS)', KAFKA_BROKERS.length > 0],
];

(SERVER_URL ? describe : describe.skip)('two instances sharing one database (needs DATABASE_URL)', () => {
  const run = randomUUID().slice(0, 8);
  let database: TestDatabase | undefined;
  const dataDirs: string[] = [];
  const started: PlatformProcess[] = [];

  afterEach(async () => {
    await Promise.all(started.splice(0).map((p) => p.kill9()));
    if (database) await database.drop();
    database = undefined;
    for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    if (KAFKA_BROKERS.length > 0) await deleteTopics(KAFKA_BROKERS, `two-${run}.`);
  });

  async function start(env: Record<string, string>): Promise<PlatformProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), 'tp-two-'));
    dataDirs.push(dataDir);
    const platform = await startPlatform({ ...env, DATA_DIR: dataDir, LOG_LEVEL: 'info', CONTACT_ENCRYPTION_KEY: CONTACT_KEY }, TOKEN);
    started.push(platform);
    return platform;
  }

  it.each(modes.filter(([, on]) => on).map(([name]) => [name]))('shares the work and survives kill -9 of one (%s)', async (mode) => {
    const kafka = mode.startsWith('Kafka');
    database = await freshDatabase();
    const env: Record<string, string> = {
      DATABASE_URL: database.url!,
      KAFKA_BROKERS: kafka ? KAFKA_BROKERS.join(',') : '',
      KAFKA_CLIENT_ID: `two-${run}`,
      KAFKA_TOPIC_PREFIX: `two-${run}.`,
    };
    const [a, b] = [await start(env), await start(env)];
    const projectors = await projectorNames(a);

    /** Every lease: a projector's each, and the singleton jobs this database needs (retention, node purge, …). */
    let leases = 0;
    if (!kafka) {
      // Balanced: each runs some projectors and jobs, together all of them, none twice.
      await until(async () => {
        const [ha, hb] = [await held(a), await held(b)];
        const all = new Set([...ha, ...hb]);
        leases = all.size;
        const jobs = [...all].filter((l) => l.startsWith('job:'));
        return ha.length > 0 && hb.length > 0 && all.size === ha.length + hb.length && all.size === projectors.length + jobs.length && jobs.length >= MIN_JOBS;
      }, 30_000, 'leases spread over both instances');
    }

    // Read-your-writes on either instance: once records are applied by whichever instance owns them, both
    // report every projector caught up (with Kafka, each member once measured lag against its own copy of the
    // checkpoints, so the partitions the other member advanced stayed behind on it for good).
    const warmUp = randomBytes(16).toString('hex');
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${(i % 2 ? b : a).base}/v2/collector`, {
        method: 'POST',
        headers: v4Headers({ machine_id: `${warmUp.slice(0, 30)}${i.toString().padStart(2, '0')}`, event_id: randomBytes(16).toString('hex') }),
        body: 'warm-up',
      });
      expect(res.status).toBe(201);
    }
    await until(async () => (await Promise.all([a, b].map(caughtUp))).every(Boolean), 60_000, 'both instances reporting every projector caught up');

    const machineId = randomBytes(16).toString('hex');
    const acknowledged = new Set<string>();
    // A retry is byte-identical, as the real client's is (it resends the spooled record): a fresh
    // creation_timestamp would make it another record, rightly stored beside the first.
    const createdAt = String(Math.floor(Date.now() / 1000));
    const post = async (target: PlatformProcess, eventId: string) => {
      const res = await fetch(`${target.base}/v2/collector`, {
        method: 'POST',
        headers: v4Headers({ machine_id: machineId, event_id: eventId, creation_timestamp: createdAt }),
        body: `two instances ${eventId}`,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return res.status;
    };
    let aDead = false;
    let lastAppliedByA = new Map<string, number>();
    const ids = Array.from({ length: RECORDS }, () => randomBytes(16).toString('hex'));
    let next = 0;
    const client = async (n: number) => {
      for (let i = next++; i < ids.length; i = next++) {
        // Round robin; a failed request goes to the other instance (the dead one answers nothing).
        let target = (i + n) % 2 === 0 && !aDead ? a : b;
        for (let attempt = 0; attempt < 20; attempt++) {
          const status = await post(target, ids[i]).catch(() => 0);
          if (status === 201 || status === 200) {
            acknowledged.add(ids[i]);
            break;
          }
          target = target === a ? b : aDead ? b : a;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, n) => client(n));
    // Scrape the soon-dead instance while it lives: its counters die with it.
    while (acknowledged.size < RECORDS * 0.4) {
      lastAppliedByA = await applied(a).catch(() => lastAppliedByA);
      await new Promise((r) => setTimeout(r, 50));
    }
    lastAppliedByA = await applied(a);
    const heldByA = kafka ? [] : await held(a);
    aDead = true;
    await a.kill9();
    const killedAt = performance.now();
    let takeoverMs = 0;
    if (!kafka) {
      await until(async () => (await held(b)).length === leases, 30_000, 'the survivor holding every lease');
      takeoverMs = performance.now() - killedAt;
    }
    await Promise.all(clients);
    expect(acknowledged.size).toBe(RECORDS);

    // Everything acknowledged is projected, once.
    let rows: { event_id: string; copies: number }[] = [];
    let logged = 0;
    await until(async () => {
      rows = await database!.db.query('SELECT event_id, count(*)::int AS copies FROM records WHERE machine_id = $1 GROUP BY event_id', [machineId]);
      [{ logged }] = await database!.db.query<{ logged: number }>(
        `SELECT count(*)::int AS logged FROM event_log WHERE type = 'clearlinux.record.accepted' AND key = $1`,
        [machineId],
      );
      return rows.length >= acknowledged.size && logged === rows.length;
    }, 90_000, 'every acknowledged record projected (and, with Kafka, archived)').catch((err: Error) => {
      throw new Error(`${err.message}: ${rows.length} of ${acknowledged.size} projected, ${logged} logged; survivor: ${b.output().split('\n').filter((l) => /leases|WARN|ERROR/.test(l)).slice(-8).join('\n')}`);
    });
    const stored = new Map(rows.map((r) => [r.event_id, r.copies]));
    expect([...acknowledged].filter((id) => !stored.has(id))).toEqual([]);
    expect(rows.filter((r) => r.copies !== 1)).toEqual([]);
    expect(rows.length).toBe(logged);

    // The survivor runs every projector now: let all of them catch up before counting their work.
    await until(() => caughtUp(b), 60_000, 'every projector caught up on the survivor');
    // Projector work summed over both, per projector: at most one application per event (A's last scrape
    // may miss its final batches). The projectors reading records applied about one per record.
    const appliedByB = await applied(b);
    const perEvent = Object.fromEntries(
      [...new Set([...lastAppliedByA.keys(), ...appliedByB.keys()])].map((p) => [p, Number((((lastAppliedByA.get(p) ?? 0) + (appliedByB.get(p) ?? 0)) / logged).toFixed(3))]),
    );
    const split = Object.keys(perEvent).filter((p) => (lastAppliedByA.get(p) ?? 0) > 0 && (appliedByB.get(p) ?? 0) > 0);
    process.stdout.write(`${JSON.stringify({ test: 'two-instances', mode, records: logged, perEvent, movedMidLoad: split, takeoverMs: Math.round(takeoverMs), heldByA: heldByA.length })}\n`);
    expect(Object.entries(perEvent).filter(([, n]) => n > 1.02)).toEqual([]);
    expect(perEvent['clearlinux-records']).toBeGreaterThan(0.9);
    expect(split.length).toBeGreaterThan(0);
    if (!kafka) {
      expect(heldByA.length).toBeGreaterThan(0);
      expect(takeoverMs).toBeLessThan(15_000);
    }
  }, 300_000);

  it('refuses to start an instance whose contact key differs from the one the database knows', async () => {
    database = await freshDatabase();
    const env = { DATABASE_URL: database.url!, KAFKA_BROKERS: '' };
    await start(env);
    const dataDir = mkdtempSync(join(tmpdir(), 'tp-two-'));
    dataDirs.push(dataDir);
    await expect(
      startPlatform({ ...env, DATA_DIR: dataDir, LOG_LEVEL: 'info', CONTACT_ENCRYPTION_KEY: randomBytes(32).toString('base64') }, TOKEN, 60_000),
    ).rejects.toThrow(/CONTACT_ENCRYPTION_KEY differs/);
    await expect(startPlatform({ ...env, DATA_DIR: dataDir, LOG_LEVEL: 'info', CONTACT_ENCRYPTION_KEY: CONTACT_KEY }, 'another-admin-token-456789', 60_000)).rejects.toThrow(
      /ADMIN_TOKEN differs/,
    );
  });
});

/**
 * Singleton jobs holding a lease besides the projectors: Clear Linux retention and node purge, and the rollup
 * refresh where the platform refreshes continuous aggregates itself (no server policies).
 */
const MIN_JOBS = 2;

async function scrape(p: PlatformProcess): Promise<string> {
  const res = await fetch(`${p.base}/metrics`, { signal: AbortSignal.timeout(5000) });
  return res.text();
}

async function held(p: PlatformProcess): Promise<string[]> {
  return [...(await scrape(p)).matchAll(/^telemetry_leases_held\{lease="([^"]+)"\} 1$/gm)].map((m) => m[1]);
}

/** Whether the instance reports every projector as having applied everything logged. */
async function caughtUp(p: PlatformProcess): Promise<boolean> {
  const res = await fetch(`${p.base}/api/admin/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await res.json()) as { projectors: { lag: number | null }[] }).projectors.every((s) => s.lag === 0);
}

async function applied(p: PlatformProcess): Promise<Map<string, number>> {
  return new Map([...(await scrape(p)).matchAll(/^telemetry_projector_events_applied_total\{projector="([^"]+)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
}

async function projectorNames(p: PlatformProcess): Promise<string[]> {
  const res = await fetch(`${p.base}/api/admin/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await res.json()) as { projectors: { name: string }[] }).projectors.map((x) => x.name);
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

(SERVER_URL ? describe.skip : describe)('a second process on an embedded DATA_DIR', () => {
  it('refuses to start, naming the process that owns it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tp-two-'));
    const first = await startPlatform({ DATA_DIR: dataDir, DATABASE_URL: undefined, KAFKA_BROKERS: '', LOG_LEVEL: 'info' }, TOKEN);
    try {
      await expect(startPlatform({ DATA_DIR: dataDir, DATABASE_URL: undefined, KAFKA_BROKERS: '', LOG_LEVEL: 'info' }, TOKEN, 60_000)).rejects.toThrow(
        new RegExp(`DATA_DIR .* is in use by another process \\(pid ${first.child.pid} `),
      );
      expect(first.child.exitCode).toBeNull();
    } finally {
      await first.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
