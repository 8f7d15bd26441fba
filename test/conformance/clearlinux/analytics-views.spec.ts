import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { SCHEMAS_DIR } from '../../../src/common/paths';
import { RollupInstaller } from '../../../src/database/rollup-installer';
import { CLR_ROLLUPS } from '../../../src/sources/clearlinux/analytics/analytics.rollups';
import type { BuildsView, MceView, PopulationView, StatsView, ThermalView } from '../../../src/sources/clearlinux/analytics/analytics.query';
import { loadDemoFixtures } from '../../../src/cli/seed/demo-fixtures';
import { demoRecords } from '../../../src/cli/seed/demo-records';
import { lastIsoWeeks, startOfYear } from '../../../src/sources/clearlinux/analytics/bucketing';
import { RetentionService } from '../../../src/sources/clearlinux/retention/retention.service';
import { analyticsProjector, projectAnalytics } from '../../../src/sources/clearlinux/analytics/analytics.projection';
import type { RecordAccepted } from '../../../src/sources/clearlinux/record/record.events';
import { readLogPage } from '../../../src/event-log/postgres-feed';
import { applyWrites } from '../../../src/event-log/row-writer';
import { bearer, tokenFor } from '../../support/accounts';
import { hashedMachineIds } from '../../support/machine-ids';
import { WITHOUT_PRIVACY_FLOOR, startTestApp, TestApp } from '../../support/app';
import { eventually } from '../../support/database';

/**
 * Spec clearlinux.md §8.2–§8.8 on the real app: demo records go through the collector and the projectors; every
 * rollup-backed API answer must equal a direct count over the raw `records` table for the same window
 * (continuous aggregates on embedded/Timescale-licensed servers, views on Apache TimescaleDB and PG15).
 */
const TID = '6907c830-eed9-4ce9-81ae-76daf8d88f0f';
const RUN = randomBytes(4).toString('hex');
const MCE = ['corrected', 'SRAO', 'SRAR', 'UCNA'].map((k) => `org.clearlinux/mce/${k}`);

describe('Clear Linux analytics views', () => {
  let t: TestApp;
  let rollups: RollupInstaller;
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
  /** GET an analytics endpoint; every answer must match its published schema. */
  const api = async <T>(path: string): Promise<T> => {
    const res = await t.app.inject({ method: 'GET', url: path, headers: t.auth });
    expect(res.statusCode).toBe(200);
    const view = /^\/api\/clearlinux\/([a-z]+)/.exec(path)![1];
    const validate = ajv.getSchema(`clearlinux/analytics-${view}.v1`) ?? ajv.compile(JSON.parse(readFileSync(join(SCHEMAS_DIR, 'clearlinux', `analytics-${view}.v1.json`), 'utf8')));
    const body = res.json() as T;
    expect(validate(body) ? null : validate.errors).toBeNull();
    return body;
  };
  const sql = <T>(q: string, params: unknown[] = []) => t.db.query<T>(q, params);
  const post = (headers: Record<string, string>, payload: string) =>
    t.app.inject({ method: 'POST', url: '/v2/collector', headers: { ...headers, 'X-Telemetry-TID': TID }, payload });
  const refreshAll = async () => {
    for (const def of Object.values(CLR_ROLLUPS)) await rollups.refresh(def.name, null, null);
  };
  const settle = async () => {
    await t.runtime.catchUp(['clearlinux-records', 'clearlinux-analytics']);
    await refreshAll();
  };
  const records = demoRecords(loadDemoFixtures(), { count: 320, now: new Date(), days: 30, seed: 7, salt: RUN });
  /** Ten at a time, so appends share durable writes (the collector micro-batches). */
  const postAll = async (batch: typeof records) => {
    for (let i = 0; i < batch.length; i += 10) {
      const statuses = await Promise.all(batch.slice(i, i + 10).map(async (r) => (await post(r.headers, r.body)).statusCode));
      expect(statuses.every((s) => s === 201)).toBe(true);
    }
  };

  /**
   * What the last test purges (clearlinux.md §10, ages by reception; it runs the purge "2 days from now"): two whole
   * classes and every record of a few machines (heartbeats and MCE among them), so each view loses some
   * but not all of its numbers.
   */
  const purgedMachines = [
    ...new Set(records.filter((r) => /heartbeat|mce\/corrected/.test(r.headers.classification)).slice(0, 12).map((r) => r.headers.machine_id)),
  ];
  beforeAll(async () => {
    t = await startTestApp({
      ...WITHOUT_PRIVACY_FLOOR,
      CLR_PURGE_FILTERED_RECORDS: JSON.stringify({
        classification: { 'org.clearlinux/mce/SRAO': 1, 'org.clearlinux/mce/thermal': 1, 'org.clearlinux/hello/world': 1 },
        machine_id: Object.fromEntries(purgedMachines.map((m) => [m, 1])),
      }),
    });
    rollups = t.app.get(RollupInstaller);
    // a first batch, materialised; the rest arrives after the refresh (late for the rollups)
    await postAll(records.slice(0, 200));
    await settle();
    await postAll(records.slice(200));
    await settle();
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  /** Builds (clearlinux.md §8.2) equal a direct count over `records`; returns the total. */
  const expectBuildsMatch = async (): Promise<number> => {
    const view = await api<BuildsView>('/api/clearlinux/builds');
    const direct = await sql<{ build: string; n: number }>(`SELECT build, count(*)::float8 AS n FROM records GROUP BY build`);
    const got = Object.fromEntries([...view.builds, ...view.otherBuilds].map((b) => [b.build, b.records]));
    expect(got).toEqual(Object.fromEntries(direct.map((r) => [r.build, r.n])));
    expect(view.total).toBe(direct.reduce((a, r) => a + r.n, 0));
    const perDay = await sql<{ day: string; build: string; n: number }>(
      `SELECT to_char(ts_reception AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, build, count(*)::float8 AS n FROM records GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(view.series).toEqual(perDay.map((r) => ({ day: r.day, build: r.build, records: r.n })));
    return view.total;
  };

  /** Stats (clearlinux.md §8.3) equal direct counts; returns the total. */
  const expectStatsMatch = async (): Promise<number> => {
    const view = await api<StatsView>('/api/clearlinux/stats');
    const byClass = await sql<{ name: string; records: number }>(`SELECT classification AS name, count(*)::float8 AS records FROM records GROUP BY 1 ORDER BY 2 DESC, 1`);
    const byPlatform = await sql<{ name: string; records: number }>(`SELECT machine_type AS name, count(*)::float8 AS records FROM records GROUP BY 1 ORDER BY 2 DESC, 1`);
    expect(view.classifications).toEqual(byClass);
    expect(view.platforms).toEqual(byPlatform);
    return view.total;
  };

  /**
   * MCE (clearlinux.md §8.5) for `query` equals direct counts over `records` captured in [since, until): classes,
   * builds, weekly total, machine count and pages 1 and 2 of the machine table with per-build counts.
   */
  const expectMceMatch = async (query: string, since: string, until: string | null = null, build: string | null = null): Promise<MceView> => {
    const view = await api<MceView>(`/api/clearlinux/mce${query}`);
    expect(view.window).toEqual({ from: since, to: until, clock: 'capture' });
    const where = `classification = ANY($1::text[]) AND ts_capture >= $2::timestamptz AND ($3::timestamptz IS NULL OR ts_capture < $3::timestamptz)
                   AND ($4::text IS NULL OR build = $4::text)`;
    const params = [MCE, since, until, build];
    const perClass = await sql<{ class: string; records: number }>(`SELECT classification AS class, count(*)::float8 AS records FROM records WHERE ${where} GROUP BY 1`, params);
    expect(view.classes).toEqual(MCE.map((c) => ({ class: c, records: perClass.find((r) => r.class === c)?.records ?? 0 })));
    const perBuild = await sql<{ build: string; records: number }>(`SELECT build, count(*)::float8 AS records FROM records WHERE ${where} GROUP BY 1`, params);
    expect(Object.fromEntries(view.builds.map((b) => [b.build, b.records]))).toEqual(Object.fromEntries(perBuild.map((b) => [b.build, b.records])));
    expect(view.weekly.reduce((a, w) => a + w.records, 0)).toBe(view.total);
    const [{ n }] = await sql<{ n: number }>(`SELECT count(DISTINCT machine_id)::float8 AS n FROM records WHERE ${where}`, params);
    expect(view.machineCount).toBe(n);
    const perMachine = await sql<{ machine_id: string; total: number; builds: Record<string, number> }>(
      `SELECT machine_id, sum(n)::float8 AS total, jsonb_object_agg(build, n) AS builds
       FROM (SELECT machine_id, build, count(*)::float8 AS n FROM records WHERE ${where} GROUP BY 1, 2) m
       GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100`,
      params,
    );
    // The admin (support and above) reads the machine ids; below the support role the table shows their
    // per-installation hashes, in the same order.
    expect(view.machines).toEqual(perMachine.slice(0, 50));
    const hashed = await hashedMachineIds(t);
    const asViewer = await t.app.inject({ method: 'GET', url: `/api/clearlinux/mce${query}`, headers: bearer(await tokenFor(t, 'viewer')) });
    expect((asViewer.json() as MceView).machines).toEqual(perMachine.slice(0, 50).map((m) => ({ ...m, machine_id: hashed(m.machine_id) })));
    const page2 = await api<MceView>(`/api/clearlinux/mce${query}${query ? '&' : '?'}page=2`);
    expect(page2.machines).toEqual(perMachine.slice(50, 100));
    expect(page2.machineCount).toBe(n);
    return view;
  };

  /** Thermal (clearlinux.md §8.6): the last five ISO weeks equal direct counts; returns the total. */
  const expectThermalMatch = async (): Promise<number> => {
    const view = await api<ThermalView>('/api/clearlinux/thermal');
    const weeks = lastIsoWeeks(new Date(), 5);
    expect(view.weeks.map((w) => w.start)).toEqual(weeks.map((w) => w.toISOString().slice(0, 10)));
    const direct = await sql<{ start: string; n: number }>(
      `SELECT to_char(time_bucket(interval '1 week', ts_capture) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS start, count(*)::float8 AS n
       FROM records WHERE classification = 'org.clearlinux/mce/thermal' AND ts_capture >= $1::timestamptz GROUP BY 1`,
      [weeks[0].toISOString()],
    );
    expect(view.weeks.map((w) => w.records)).toEqual(view.weeks.map((w) => direct.find((d) => d.start === w.start)?.n ?? 0));
    return view.total;
  };

  /**
   * Population (clearlinux.md §8.8) for `query`: every window equals count(DISTINCT machine_id) over `records` captured
   * after the window's start, inside [from, to), of `build`. Returns the machines counted per window.
   */
  const expectPopulationMatch = async (query = '', from: string | null = null, to: string | null = null, build: string | null = null): Promise<number[]> => {
    const view = await api<PopulationView>(`/api/clearlinux/population${query}`);
    expect(view.method).toBe('exact');
    expect(view.windows.map((w) => w.name)).toEqual(['overall', '14d', '7d', '3d', '1d']);
    const counted: number[] = [];
    for (const w of view.windows) {
      const direct = await sql<{ build: string; external: boolean; n: number }>(
        `SELECT build, external, count(DISTINCT machine_id)::float8 AS n FROM records
         WHERE classification = 'org.clearlinux/heartbeat/ping' AND os_name = 'clear-linux-os'
           AND ($1::timestamptz IS NULL OR ts_capture > $1::timestamptz)
           AND ($2::timestamptz IS NULL OR ts_capture >= $2::timestamptz) AND ($3::timestamptz IS NULL OR ts_capture < $3::timestamptz)
           AND ($4::text IS NULL OR build = $4::text)
         GROUP BY 1, 2`,
        [w.from, from, to, build],
      );
      const expected: Record<string, { internal: number; external: number }> = {};
      for (const r of direct) (expected[r.build] ??= { internal: 0, external: 0 })[r.external ? 'external' : 'internal'] = r.n;
      const got = Object.fromEntries([...w.builds, ...w.otherBuilds].map((b) => [b.build, { internal: b.internal, external: b.external }]));
      expect(got).toEqual(expected);
      counted.push(direct.reduce((a, r) => a + r.n, 0));
    }
    return counted;
  };
  /**
   * The all-time population totals (kept by triggers on `clr_population_machines`) equal the distinct
   * machine ids of the Clear Linux heartbeats in `records`, per build and source. Returns them summed.
   */
  const expectPopulationTotalsExact = async (): Promise<number> => {
    const totals = await sql<{ build: string; external: boolean; n: number }>(`SELECT build, external, machines::float8 AS n FROM clr_population_totals ORDER BY 1, 2`);
    const direct = await sql<{ build: string; external: boolean; n: number }>(
      `SELECT build, external, count(DISTINCT machine_id)::float8 AS n FROM records
       WHERE classification = 'org.clearlinux/heartbeat/ping' AND os_name = 'clear-linux-os' GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(totals).toEqual(direct);
    return direct.reduce((a, r) => a + r.n, 0);
  };
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  const midnight = (day: string) => `${day}T00:00:00Z`;

  it('installs every rollup in the mode the database supports', async () => {
    const names = Object.values(CLR_ROLLUPS).map((d) => d.name);
    const rows = await sql<{ name: string; mode: string }>(`SELECT name, mode FROM rollup_definitions WHERE name = ANY($1::text[]) ORDER BY name`, [names]);
    expect(rows.map((r) => r.name)).toEqual([...names].sort());
    for (const r of rows) expect(r.mode).toBe(rollups.mode);
  });

  it('builds: per build, integer builds ascending, others listed apart, equal to a direct count', async () => {
    expect(await expectBuildsMatch()).toBeGreaterThan(0);
    const view = await api<BuildsView>('/api/clearlinux/builds');
    expect(view.builds.map((b) => b.build)).toEqual([...view.builds.map((b) => b.build)].sort((a, b) => Number(a) - Number(b)));
    expect(view.builds.every((b) => /^[0-9]+$/.test(b.build))).toBe(true);
    expect(view.otherBuilds.map((b) => b.build)).toEqual(expect.arrayContaining(['18.04']));
  });

  it('builds: the build and date filters restrict the same way as SQL', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const view = await api<BuildsView>(`/api/clearlinux/builds?build=31070&from=${today}`);
    const [{ n }] = await sql<{ n: number }>(
      `SELECT count(*)::float8 AS n FROM records WHERE build = '31070' AND ts_reception >= $1::date::timestamp AT TIME ZONE 'UTC'`,
      [today],
    );
    expect(view.total).toBe(n);
    expect(view.builds).toEqual(n > 0 ? [{ build: '31070', records: n }] : []);
    expect((await t.app.inject({ method: 'GET', url: '/api/clearlinux/builds?from=2026-02-30', headers: t.auth })).json()).toEqual({
      message: 'from must be a date YYYY-MM-DD',
    });
  });

  it('stats: per classification and per platform, count descending then name', async () => {
    expect(await expectStatsMatch()).toBeGreaterThan(0);
  });

  it('mce: classes, builds and the paged machine table since 1 January (capture time) equal direct counts', async () => {
    const view = await expectMceMatch('', startOfYear(new Date()).toISOString());
    expect(view.total).toBeGreaterThan(0);
    expect(view.machineCount).toBeGreaterThan(50); // so page 2 is checked too
    expect(view.machines.every((m) => Object.values(m.builds).reduce((a, b) => a + b, 0) === m.total)).toBe(true);
  });

  it('mce: the build filter and a date window (read from the events) equal direct counts', async () => {
    const since = startOfYear(new Date()).toISOString();
    expect((await expectMceMatch('?build=31070', since, null, '31070')).total).toBeGreaterThan(0);
    const from = daysAgo(20);
    const to = daysAgo(5);
    expect((await expectMceMatch(`?from=${from}&to=${to}`, midnight(from), midnight(to))).total).toBeGreaterThan(0);
    await expectMceMatch(`?from=${from}&build=31040`, midnight(from), null, '31040');
  });

  it('thermal: the last five ISO weeks of capture time, oldest first, equal direct counts', async () => {
    expect(await expectThermalMatch()).toBeGreaterThan(0);
  });

  it('population: exact distinct machine ids per build and source, captured after now − N days', async () => {
    const counted = await expectPopulationMatch();
    expect(counted[0]).toBeGreaterThan(counted[4]);
    expect(await expectPopulationTotalsExact()).toBe(counted[0]);
    expect((await api<PopulationView>('/api/clearlinux/population')).windows[0].builds.length).toBeGreaterThan(1);
  });

  it('population: the build filter and date windows (open or closed) equal direct counts', async () => {
    expect((await expectPopulationMatch('?build=31070', null, null, '31070'))[0]).toBeGreaterThan(0);
    const from = daysAgo(10);
    const to = daysAgo(2);
    expect((await expectPopulationMatch(`?from=${from}`, midnight(from)))[0]).toBeGreaterThan(0);
    expect((await expectPopulationMatch(`?from=${from}&to=${to}`, midnight(from), midnight(to)))[0]).toBeGreaterThan(0);
  });

  it('a late record (captured weeks ago, received now) is counted by its capture day at once', async () => {
    const before = await api<MceView>('/api/clearlinux/mce?build=29990');
    expect(before.total).toBe(0);
    const captured = Math.floor(Date.now() / 1000) - 20 * 86400;
    const late = { ...records.find((r) => r.headers.classification === 'org.clearlinux/mce/SRAR')!.headers };
    Object.assign(late, { build: '29990', creation_timestamp: String(captured), machine_id: `late${RUN}` });
    expect((await post(late, 'late MCE\n')).statusCode).toBe(201);
    await eventually(async () => {
      await settle();
      return (await api<MceView>('/api/clearlinux/mce?build=29990')).total === 1;
    }, 30_000, 'late record in clr_mce_daily');
    const after = await api<MceView>('/api/clearlinux/mce?build=29990');
    expect(after.classes.find((c) => c.class === 'org.clearlinux/mce/SRAR')!.records).toBe(1);
    expect(after.machines).toEqual([{ machine_id: `late${RUN}`, total: 1, builds: { '29990': 1 } }]);
  });

  it('capture times decades apart are stored as sent, in the chunks of the reception window only', async () => {
    const chunksOf = async () =>
      Object.fromEntries(
        (await sql<{ table: string; chunks: number }>(`
          SELECT hypertable_name AS table, count(*)::int AS chunks FROM timescaledb_information.chunks
          WHERE hypertable_name IN ('clr_heartbeats', 'clr_mce_events') GROUP BY 1`)).map((r) => [r.table, r.chunks]),
      );
    const hypertables = (await sql(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`)).length > 0;
    const before = hypertables ? await chunksOf() : {};
    const beat = records.find((r) => r.headers.classification === 'org.clearlinux/heartbeat/ping')!.headers;
    const check = records.find((r) => r.headers.classification === 'org.clearlinux/mce/corrected')!.headers;
    // 20 years either side of 2017, and the 12-digit maximum the collector must accept (year 33658)
    const captures = [...Array.from({ length: 20 }, (_, i) => 1_505_235_249 + (i - 10) * 365 * 86400), 999_999_999_999];
    for (const [i, ts] of captures.entries()) {
      for (const h of [beat, check]) {
        const res = await post({ ...h, build: '29980', creation_timestamp: String(ts), machine_id: `clock${i}${RUN}` }, 'clock\n');
        expect(res.statusCode).toBe(201);
      }
    }
    await settle();
    const stored = async (table: string) =>
      (await sql<{ ts: string }>(`SELECT extract(epoch FROM ts_capture)::bigint::text AS ts FROM ${table} WHERE build = '29980' ORDER BY ts_capture`)).map((r) => Number(r.ts));
    expect(await stored('clr_heartbeats')).toEqual(captures);
    expect(await stored('clr_mce_events')).toEqual(captures);
    // one count per capture day; the MCE view shows those of the current year on
    expect((await sql<{ n: number }>(`SELECT sum(events)::int AS n FROM clr_mce_daily WHERE build = '29980'`))[0].n).toBe(captures.length);
    const thisYear = startOfYear(new Date()).getTime() / 1000;
    expect((await api<MceView>('/api/clearlinux/mce?build=29980')).total).toBe(captures.filter((ts) => ts >= thisYear).length);
    if (hypertables) {
      // Partitioned on the server's clock: at most the one chunk this week opens, not one per capture year.
      const after = await chunksOf();
      for (const table of ['clr_heartbeats', 'clr_mce_events']) expect(after[table] - (before[table] ?? 0)).toBeLessThanOrEqual(1);
    }
  });

  it('a late heartbeat counts in the windows its capture time falls in, and never lowers a later one', async () => {
    const beat = { ...records.find((r) => r.headers.classification === 'org.clearlinux/heartbeat/ping')!.headers };
    const at = (days: number) => String(Math.floor(Date.now() / 1000) - Math.round(days * 86400));
    const machine = { build: '29991', machine_id: `lateb${RUN}` };
    // received in this order: captured 2 days ago, then 10 days ago (late); the machine is in the 3-day window
    for (const days of [2, 10]) expect((await post({ ...beat, ...machine, creation_timestamp: at(days) }, `beat ${days}\n`)).statusCode).toBe(201);
    await settle();
    const windows = (await api<PopulationView>('/api/clearlinux/population?build=29991')).windows;
    expect(windows.map((w) => [...w.builds, ...w.otherBuilds].reduce((a, b) => a + b.internal + b.external, 0))).toEqual([1, 1, 1, 1, 0]);
    await expectPopulationMatch('?build=29991', null, null, '29991');
    await expectPopulationTotalsExact();
  });

  it('population: the all-time totals stay exact when a projected batch is delivered again and after a replay', async () => {
    const machines = await expectPopulationTotalsExact();
    expect(machines).toBeGreaterThan(10);
    // at-least-once delivery: every record event projected a second time, as one batch
    const { events } = await readLogPage(t.db, analyticsProjector, 0n, 100_000);
    expect(events.length).toBeGreaterThan(records.length);
    await t.db.transaction((tx) => applyWrites(tx, (events as RecordAccepted[]).flatMap(projectAnalytics)));
    expect(await expectPopulationTotalsExact()).toBe(machines);
    expect((await expectPopulationMatch())[0]).toBe(machines);
    await t.runtime.replay(analyticsProjector.name);
    expect(await expectPopulationTotalsExact()).toBe(machines);
    expect((await expectPopulationMatch())[0]).toBe(machines);
  });

  it('projects mcelog fields for drill-down', async () => {
    const rows = await sql<{ kind: string; cpu: number | null; bank: number | null; error_text: string | null }>(
      `SELECT kind, cpu, bank, error_text FROM clr_mce_events WHERE kind IN ('corrected', 'thermal') LIMIT 200`,
    );
    expect(rows.some((r) => r.kind === 'corrected' && r.bank !== null && r.error_text === 'Corrected error')).toBe(true);
    expect(rows.some((r) => r.kind === 'thermal' && r.cpu !== null && r.error_text === 'Throttling enabled')).toBe(true);
  });

  it('needs the admin credential and is documented in Swagger', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/clearlinux/builds' })).statusCode).toBe(401);
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs-json', headers: t.auth })).json() as { paths: Record<string, unknown> };
    for (const v of ['builds', 'stats', 'mce', 'thermal', 'population']) expect(Object.keys(doc.paths)).toContain(`/api/clearlinux/${v}`);
  });

  it('console pages render charts and tables, and answer htmx with the partial only', async () => {
    for (const v of ['builds', 'stats', 'mce', 'thermal', 'population']) {
      const page = await t.app.inject({ method: 'GET', url: `/console/clearlinux/${v}`, headers: t.auth });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('data-chart=');
      expect(page.body).toContain('/static/vendor/echarts.min.js');
      const partial = await t.app.inject({ method: 'GET', url: `/console/clearlinux/${v}?build=31070`, headers: { ...t.auth, 'hx-request': 'true' } });
      expect(partial.statusCode).toBe(200);
      expect(partial.body).not.toContain('<html');
      expect(partial.body).toMatch(new RegExp(`/api/clearlinux/${v}\\?build(=|&#x3D;)31070`));
    }
  });

  it('purge (clearlinux.md §10) drops purged records from every view and derived table; the rest still equals direct counts', async () => {
    const before = {
      builds: await expectBuildsMatch(),
      stats: await expectStatsMatch(),
      mce: (await expectMceMatch('', startOfYear(new Date()).toISOString())).total,
      thermal: await expectThermalMatch(),
      population: await expectPopulationMatch(),
    };
    const purged = await t.app.get(RetentionService).purge(new Date(Date.now() + 2 * 86_400_000));
    const [{ left }] = await sql<{ left: number }>(`SELECT count(*)::float8 AS left FROM records`);
    expect(purged).toBeGreaterThan(0);
    expect(before.builds).toBe(purged + left);
    // every classification-based rule hit something, and nothing of the purged machines is left
    const [{ gone }] = await sql<{ gone: number }>(
      `SELECT count(*)::float8 AS gone FROM records WHERE classification IN ('org.clearlinux/mce/SRAO', 'org.clearlinux/mce/thermal', 'org.clearlinux/hello/world')
         OR machine_id = ANY($1::text[])`,
      [purgedMachines],
    );
    expect(gone).toBe(0);
    const after = {
      builds: await expectBuildsMatch(),
      stats: await expectStatsMatch(),
      mce: (await expectMceMatch('', startOfYear(new Date()).toISOString())).total,
      thermal: await expectThermalMatch(),
      population: await expectPopulationMatch(),
    };
    expect(after.builds).toBe(left);
    expect(after.stats).toBe(left);
    expect(after.mce).toBeLessThan(before.mce);
    expect(after.mce).toBeGreaterThan(0);
    expect(after.thermal).toBe(0);
    expect(after.population[0]).toBeLessThan(before.population[0]);
    expect(after.population[0]).toBeGreaterThan(0);
    expect(await expectPopulationTotalsExact()).toBe(after.population[0]);
    await expectMceMatch('?build=31070', startOfYear(new Date()).toISOString(), null, '31070');
    await expectPopulationMatch(`?from=${daysAgo(10)}&to=${daysAgo(2)}`, midnight(daysAgo(10)), midnight(daysAgo(2)));
    // no derived row outlives its record
    for (const table of ['clr_mce_events', 'clr_heartbeats']) {
      const [{ orphans }] = await sql<{ orphans: number }>(
        `SELECT count(*)::float8 AS orphans FROM ${table} d WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.log_event_id = d.log_event_id)`,
      );
      expect({ table, orphans }).toEqual({ table, orphans: 0 });
    }
    const [{ stale }] = await sql<{ stale: number }>(
      `SELECT count(*)::float8 AS stale FROM clr_population_machines m
       WHERE m.last_capture IS DISTINCT FROM (SELECT max(ts_capture) FROM clr_heartbeats h WHERE (h.build, h.external, h.machine_id) = (m.build, m.external, m.machine_id))`,
    );
    expect(stale).toBe(0);
  });
});
