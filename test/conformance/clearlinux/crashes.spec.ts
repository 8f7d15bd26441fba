import { randomBytes } from 'node:crypto';
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMAS_DIR } from '../../../src/common/paths';
import { BACKTRACE_CLASSIFICATIONS, CRASH_CLASSIFICATIONS } from '../../../src/sources/clearlinux/record/classification';
import { EventLog } from '../../../src/event-log/event-log';
import { NEVER_GUILTY_MARKED, neverGuiltyEdited } from '../../../src/sources/clearlinux/crashes/never-guilty/never-guilty.events';
import { RegroupService } from '../../../src/sources/clearlinux/crashes/regroup.service';
import { RetentionService } from '../../../src/sources/clearlinux/retention/retention.service';
import { startTestApp, TestApp } from '../../support/app';
import { eventually } from '../../support/database';
import { readFixtureText } from '../../support/fixtures';

/**
 * Spec clearlinux.md §7 (crash processing, never-guilty list) and clearlinux.md §8.4 (top guilties) through the real collector,
 * projectors, rollup and API. Names, modules and builds carry a per-run suffix: in Kafka mode earlier
 * runs' records reach this database through the shared topic, and the never-guilty list is global.
 */
const TID = '6907c830-eed9-4ce9-81ae-76daf8d88f0f';
const RUN = randomBytes(3).toString('hex');
const LIBC = `/usr/lib64/libc-${RUN}.so.6`;
const APP = `/usr/bin/app-${RUN}`;
/** Later runs get higher builds, so this run's builds are the highest present (Kafka mode shares old records). */
const BUILD = String(Date.now());
const OTHER_BUILD = String(Number(BUILD) + 1);
const BACKTRACE = [...BACKTRACE_CLASSIFICATIONS];

type Pair = { function: string; module: string };
type TopGuilty = { from: string; to: string; build: string | null; builds: { build: string; max: number }[]; rows: (Pair & { total: number; counts: { build: string; crashes: number }[] })[] };
type Regroup = { state: string; diff?: { totalBefore: number; totalAfter: number; changes: (Pair & { before: number; after: number; change: string })[] } };

const raise = { function: 'raise()', module: LIBC };
const abort = { function: 'abort()', module: LIBC };
const foo = { function: `foo_${RUN}()`, module: APP };
const bar = { function: `bar_${RUN}()`, module: APP };

function crashPayload(pid: number, middle: Pair): string {
  return [
    `Process: ${APP}`,
    `PID: ${pid}`,
    'Signal: 11',
    '',
    `Backtrace (TID ${pid}):`,
    `#0 raise() - [${LIBC}]`,
    `#1 abort() - [${LIBC}]`,
    `#2 ${middle.function} - [${middle.module}] - src.c:${pid}`,
    `#3 main() - [${APP}]`,
    `#4 __libc_start_main() - [${LIBC}]`,
    `#5 _start() - [${APP}]`,
    '',
    `Backtrace (TID ${pid + 1}):`,
    `#0 poll() - [${LIBC}]`,
    '',
  ].join('\n');
}

function headers(classification: string, build: string, n: number): Record<string, string> {
  return {
    record_format_version: '4',
    classification,
    severity: '3',
    machine_id: `crash-${RUN}-${n % 2}`,
    creation_timestamp: String(Math.floor(Date.now() / 1000) - n),
    arch: 'x86_64',
    host_type: 'blank|blank|blank',
    build,
    kernel_version: '5.0.7-744.native',
    payload_format_version: '1',
    system_name: 'clear-linux-os',
    board_name: 'b',
    cpu_model: 'c',
    bios_version: 'v',
    event_id: randomBytes(16).toString('hex'),
    'X-Telemetry-TID': TID,
  };
}

describe('Clear Linux crashes (spec 7, 8.4)', () => {
  let t: TestApp;
  const ids: Record<string, number> = {};
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: t.auth });
  const topGuilty = async (query = '') => {
    const res = await get(`/api/clearlinux/crashes/top-guilty${query}`);
    expect(res.statusCode).toBe(200);
    return res.json() as TopGuilty;
  };
  /** Direct count over the hypertable, per guilty, for one build in the default window. */
  const directCounts = async (build: string) =>
    t.db.query<Pair & { crashes: number }>(
      `SELECT guilty_function AS function, guilty_module AS module, count(*)::int AS crashes FROM crashes
       WHERE build = $1 AND classification = ANY($2::text[]) AND guilty_function IS NOT NULL
         AND ts_reception >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '6 days'
       GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`,
      [build, BACKTRACE],
    );
  const waitForRegroup = async (): Promise<Regroup> => {
    let status: Regroup = { state: 'running' };
    await eventually(async () => {
      status = (await get('/api/clearlinux/never-guilty/regroup')).json() as Regroup;
      return status.state === 'done' || status.state === 'failed';
    }, 60_000, 'regroup');
    expect(status.state).toBe('done');
    return status;
  };
  const edit = (method: 'POST' | 'DELETE', body?: unknown, query = '') =>
    t.app.inject({
      method,
      url: `/api/clearlinux/never-guilty${query}`,
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
  const groupsOf = (top: TopGuilty) => top.rows.map((r) => ({ function: r.function, module: r.module, total: r.total }));

  beforeAll(async () => {
    t = await startTestApp();
    const post = async (name: string, h: Record<string, string>, payload: string) => {
      const res = await t.app.inject({ method: 'POST', url: '/v2/collector', headers: h, payload });
      expect(res.statusCode).toBe(201);
      ids[name] = (res.json() as { id: number }).id;
    };
    await post('foo1', headers('org.clearlinux/crash/clr', BUILD, 1), crashPayload(101, foo));
    await post('foo2', headers('org.clearlinux/crash/clr', BUILD, 2), crashPayload(102, foo));
    await post('bar1', headers('org.clearlinux/crash/clr', BUILD, 3), crashPayload(103, bar));
    await post('foo3', headers('org.clearlinux/crash/clr', OTHER_BUILD, 4), crashPayload(104, foo));
    await post('kernel', headers('org.clearlinux/kernel/warning', BUILD, 5), readFixtureText('clearlinux/kernel-warning.txt'));
    await post('error', headers('org.clearlinux/crash/error', BUILD, 6), readFixtureText('clearlinux/crash-clr-error-truncated.txt'));
    await post('hello', headers('org.clearlinux/hello/world', BUILD, 7), 'hello\n');
    await t.runtime.catchUp(['clearlinux-crashes']);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('projects every crash class, and nothing else, with parsed frames and the guilty frame', async () => {
    const rows = await t.db.query<{ record_id: string; classification: string; program: string | null; pid: string | null; signal: number | null; n: number; guilty_function: string | null; guilty_module: string | null }>(
      `SELECT record_id::text, classification, program, pid::text, signal, jsonb_array_length(frames) AS n, guilty_function, guilty_module
       FROM crashes WHERE machine_id LIKE $1 ORDER BY record_id`,
      [`crash-${RUN}-%`],
    );
    expect(rows.map((r) => Number(r.record_id))).toEqual([ids.foo1, ids.foo2, ids.bar1, ids.foo3, ids.kernel, ids.error]);
    expect(rows[0]).toMatchObject({ classification: 'org.clearlinux/crash/clr', program: APP, pid: '101', signal: 11, n: 6, guilty_function: 'raise()', guilty_module: LIBC });
    expect(rows[4]).toMatchObject({ classification: 'org.clearlinux/kernel/warning', program: null, n: 9, guilty_function: 'dump_stack', guilty_module: 'kernel' });
    // crash/error is counted, never parsed (clearlinux.md §7.1)
    expect(rows[5]).toMatchObject({ classification: 'org.clearlinux/crash/error', n: 0, guilty_function: null, guilty_module: null });
  });

  it('answers top-guilty per build equal to a direct count, and the rollup agrees', async () => {
    const top = await topGuilty(`?build=${BUILD}`);
    expect(top.build).toBe(BUILD);
    expect(groupsOf(top)).toEqual(expect.arrayContaining([{ ...raise, total: 3 }, { function: 'dump_stack', module: 'kernel', total: 1 }]));
    expect(groupsOf(top).map(({ total, ...p }) => ({ ...p, crashes: total }))).toEqual(await directCounts(BUILD));
    expect(top.builds).toEqual([{ build: BUILD, max: 3 }]);

    const rollup = await t.db.query<Pair & { crashes: number }>(
      `SELECT guilty_function AS function, guilty_module AS module, sum(crashes)::int AS crashes FROM clr_crash_guilty_daily
       WHERE build = $1 AND classification = ANY($2::text[]) AND guilty_function IS NOT NULL GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`,
      [BUILD, BACKTRACE],
    );
    expect(rollup).toEqual(await directCounts(BUILD));
    const [{ all }] = await t.db.query<{ all: number }>(`SELECT sum(crashes)::int AS all FROM clr_crash_guilty_daily WHERE build = $1`, [BUILD]);
    const [{ n }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM crashes WHERE build = $1`, [BUILD]);
    expect(all).toBe(n);
  });

  it('without a build takes the 8 highest builds of the window first, like the direct query', async () => {
    const top = await topGuilty();
    const direct = await t.db.query<Pair & { total: number }>(
      `WITH w AS (SELECT * FROM crashes WHERE classification = ANY($1::text[]) AND guilty_function IS NOT NULL
                    AND build ~ '^[0-9][0-9]+$'
                    AND ts_reception >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '6 days'),
            b AS (SELECT build FROM (SELECT DISTINCT build FROM w) d ORDER BY build::numeric DESC LIMIT 8)
       SELECT guilty_function AS function, guilty_module AS module, count(*)::int AS total FROM w JOIN b USING (build)
       GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 10`,
      [BACKTRACE],
    );
    expect(groupsOf(top)).toEqual(direct);
    expect(top.builds.map((b) => b.build)).toEqual(expect.arrayContaining([OTHER_BUILD, BUILD]));
    const row = top.rows.find((r) => r.function === 'raise()' && r.module === LIBC)!;
    expect(row.counts.filter((c) => c.build === BUILD || c.build === OTHER_BUILD)).toEqual([
      { build: OTHER_BUILD, crashes: 1 },
      { build: BUILD, crashes: 3 },
    ]);
    const ajv = new Ajv({ allErrors: true, strict: false });
    const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'clearlinux', 'top-guilty-response.v1.json'), 'utf8'));
    expect(ajv.validate(schema, top)).toBe(true);
  });

  it('answers the all-time pie and column (per classification, per build) equal to direct counts', async () => {
    const res = await get('/api/clearlinux/crashes/overview');
    expect(res.statusCode).toBe(200);
    const overview = res.json() as { byClassification: { classification: string; crashes: number }[]; byBuild: { build: string; crashes: number }[] };
    expect(overview.byClassification).toEqual(
      await t.db.query(
        `SELECT classification, count(*)::int AS crashes FROM crashes WHERE classification = ANY($1::text[]) GROUP BY 1 ORDER BY 2 DESC, 1`,
        [[...CRASH_CLASSIFICATIONS]],
      ),
    );
    expect(overview.byBuild).toEqual(
      await t.db.query(
        `SELECT build, count(*)::int AS crashes FROM crashes WHERE classification = ANY($1::text[]) AND build ~ '^[0-9]+$'
         GROUP BY 1 ORDER BY build::numeric DESC LIMIT 10`,
        [BACKTRACE],
      ),
    );
    expect(overview.byBuild.slice(0, 2)).toEqual([
      { build: OTHER_BUILD, crashes: 1 },
      { build: BUILD, crashes: 4 },
    ]);
  });

  it('lists the crashes of one guilty frame and shows one crash with its guilty frame flagged', async () => {
    const list = await get(`/api/clearlinux/crashes?function=${encodeURIComponent('raise()')}&module=${encodeURIComponent(LIBC)}&build=${BUILD}`);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ total: 3 });
    expect((list.json() as { crashes: { record_id: string }[] }).crashes.map((c) => Number(c.record_id)).sort()).toEqual([ids.foo1, ids.foo2, ids.bar1].sort());

    const detail = await get(`/api/clearlinux/crashes/${ids.bar1}`);
    expect(detail.statusCode).toBe(200);
    const frames = (detail.json() as { frames: (Pair & { guilty: boolean })[] }).frames;
    expect(frames.filter((f) => f.guilty)).toEqual([expect.objectContaining(raise)]);
    expect((await get('/api/clearlinux/crashes/999999999999')).statusCode).toBe(404);
  });

  it('refuses bad filters and edits with a 400 naming the field', async () => {
    expect((await get('/api/clearlinux/crashes/top-guilty?from=2026-13-01')).json()).toEqual({ message: 'from must be a date YYYY-MM-DD' });
    expect((await get('/api/clearlinux/crashes/top-guilty?from=2026-11-10&to=2026-11-01')).statusCode).toBe(400);
    const bad = await edit('POST', { function: '', module: LIBC });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('body.function');
    expect((await edit('POST', { mark: [{ function: 'x' }] })).json().message).toContain('mark[0].module');
    expect((await t.app.inject({ method: 'POST', url: '/api/clearlinux/never-guilty', payload: '{}' })).statusCode).toBe(401);
  });

  it('regroups every crash from the log after marking frames never-guilty, conserving counts', async () => {
    const before = await topGuilty(`?build=${BUILD}`);
    const res = await edit('POST', { mark: [raise, abort] });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ changed: true, marked: [raise, abort], regroup: { state: 'running' } });
    const status = await waitForRegroup();

    // raise() split into foo (2) and bar (1) in BUILD; foo3 in OTHER_BUILD moved too
    expect(status.diff!.totalAfter).toBe(status.diff!.totalBefore);
    expect(status.diff!.changes).toEqual(
      expect.arrayContaining([
        { ...raise, before: 4, after: 0, change: 'gone' },
        { ...foo, before: 0, after: 3, change: 'new' },
        { ...bar, before: 0, after: 1, change: 'new' },
      ]),
    );
    expect(status.diff!.changes.filter((c) => c.module === LIBC || c.module === APP)).toHaveLength(3);

    const after = await topGuilty(`?build=${BUILD}`);
    expect(groupsOf(after)).toEqual(expect.arrayContaining([{ ...foo, total: 2 }, { ...bar, total: 1 }]));
    expect(groupsOf(after).find((g) => g.function === 'raise()')).toBeUndefined();
    const sum = (top: TopGuilty) => top.rows.reduce((n, r) => n + r.total, 0);
    expect(sum(after)).toBe(sum(before));
    expect(groupsOf(after).map(({ total, ...p }) => ({ ...p, crashes: total }))).toEqual(await directCounts(BUILD));

    const list = (await get('/api/clearlinux/never-guilty')).json() as { frames: Pair[] };
    expect(list.frames.filter((f) => f.module === LIBC).map((f) => f.function).sort()).toEqual(['abort()', 'raise()']);
  });

  it('marking a listed pair again is a no-op with a warning', async () => {
    const res = await edit('POST', raise);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ changed: false, warnings: [`raise() - [${LIBC}] is already never-guilty`] });
  });

  it('unmarking merges the groups back into the unmarked frame', async () => {
    const res = await edit('DELETE', undefined, `?function=${encodeURIComponent('abort()')}&module=${encodeURIComponent(LIBC)}`);
    expect(res.statusCode).toBe(202);
    const status = await waitForRegroup();
    expect(status.diff!.changes.filter((c) => c.module === LIBC || c.module === APP)).toEqual(
      expect.arrayContaining([
        { ...abort, before: 0, after: 4, change: 'new' },
        { ...foo, before: 3, after: 0, change: 'gone' },
        { ...bar, before: 1, after: 0, change: 'gone' },
      ]),
    );
    expect(status.diff!.totalAfter).toBe(status.diff!.totalBefore);
    expect(groupsOf(await topGuilty(`?build=${BUILD}`))).toEqual(expect.arrayContaining([{ ...abort, total: 3 }]));
  });

  it('edits from one crash: exactly the checked offered frames become never-guilty', async () => {
    // checked: abort() and foo(); unchecked offered: raise() (listed → unmarked), bar is not in this crash
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/clearlinux/crashes/${ids.foo1}/never-guilty`,
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ never_guilty: [abort, foo] }),
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ marked: [abort, foo], unmarked: [raise] });
    await waitForRegroup();
    expect(groupsOf(await topGuilty(`?build=${BUILD}`))).toEqual(expect.arrayContaining([{ ...raise, total: 3 }]));
    const offeredOnly = await t.app.inject({
      method: 'POST',
      url: `/api/clearlinux/crashes/${ids.foo1}/never-guilty`,
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ never_guilty: [{ function: '_start()', module: APP }] }),
    });
    expect(offeredOnly.statusCode).toBe(400);
  });

  it('at start-up, regroups crashes that were grouped with an older list (edit logged, regroup never ran)', async () => {
    // an edit that reached the log, but whose regroup did not happen (as if the process had stopped)
    await t.app.get(EventLog).append([neverGuiltyEdited(NEVER_GUILTY_MARKED, [raise], new Date().toISOString())]);
    await t.runtime.catchUp(['clearlinux-never-guilty']);
    const regroup = t.app.get(RegroupService);
    expect(await regroup.regroupIfStale()).toBe(true);
    await waitForRegroup();
    // raise(), abort() and foo() are now all never-guilty: foo crashes fall through to main()
    expect(groupsOf(await topGuilty(`?build=${BUILD}`))).toEqual(
      expect.arrayContaining([{ function: 'main()', module: APP, total: 2 }, { ...bar, total: 1 }]),
    );
    expect(await regroup.regroupIfStale()).toBe(false);
  });

  it('drops the crashes of purged records from the table and the counts (spec 10)', async () => {
    // default purge config: unfiltered records go after 35 days; "now" is 40 days ahead, so all of ours do
    const purged = await t.app.get(RetentionService).purge(new Date(Date.now() + 40 * 86_400_000));
    expect(purged).toBeGreaterThanOrEqual(7);
    expect(await t.db.query(`SELECT 1 FROM crashes WHERE machine_id LIKE $1`, [`crash-${RUN}-%`])).toEqual([]);
    expect((await topGuilty(`?build=${BUILD}`)).rows).toEqual([]);
  });

  it('is documented in Swagger', async () => {
    const doc = (await get('/api/docs-json')).json() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/clearlinux/crashes/top-guilty', '/api/clearlinux/never-guilty', '/api/clearlinux/never-guilty/regroup']),
    );
    expect(Object.keys(doc.paths['/api/clearlinux/never-guilty'])).toEqual(expect.arrayContaining(['get', 'post', 'delete']));
  });
});
