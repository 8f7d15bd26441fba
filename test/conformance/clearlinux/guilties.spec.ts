import { randomBytes } from 'node:crypto';
import { guiltyId } from '../../../src/sources/clearlinux/crashes/guilty';
import { GUILTY_ID_SQL } from '../../../migrations/Migration20261123152000_clearlinux_guilties';
import { startTestApp, TestApp } from '../../support/app';
import { eventually } from '../../support/database';

/**
 * Spec clearlinux.md §7.5 guilties (hide / unhide, comment, edit from one crash with "apply" vs "apply and submit",
 * reset) and clearlinux.md §8.4 (`/crashes/<build>`, guilty detail, guilty backtraces) through the real collector,
 * event log, projectors and HTTP API. Every expected number below is counted by hand from the records
 * posted in `beforeAll`.
 */
const TID = '6907c830-eed9-4ce9-81ae-76daf8d88f0f';
const RUN = randomBytes(3).toString('hex');
const LIBC = `/usr/lib64/libc-${RUN}.so.6`;
const APP = `/usr/bin/gui-${RUN}`;
const BUILD = String(Date.now());

type Pair = { function: string; module: string };
const alpha = { function: `alpha_${RUN}()`, module: APP };
const beta = { function: `beta_${RUN}()`, module: APP };
const gamma = { function: `gamma_${RUN}()`, module: APP };
const raise = { function: 'raise()', module: LIBC };

/** A crashprobe payload whose crashing thread is `frames`, then main, libc's start and _start. */
function payload(pid: number, frames: Pair[]): string {
  const lines = [...frames, { function: 'main()', module: APP }, { function: '__libc_start_main()', module: LIBC }, { function: '_start()', module: APP }];
  return [`Process: ${APP}`, `PID: ${pid}`, 'Signal: 11', '', `Backtrace (TID ${pid}):`, ...lines.map((f, i) => `#${i} ${f.function} - [${f.module}]`), ''].join('\n');
}

type Top = { builds: { build: string; max: number }[]; rows: (Pair & { id: string; total: number; comment: string | null })[] };
type Crash = { guilty_function: string | null; guilty_module: string | null; guilty_id: string | null };

describe('Clear Linux guilties (spec 7.5, 8.4)', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: t.auth });
  const send = (method: 'POST' | 'PATCH', url: string, body?: unknown) =>
    t.app.inject({ method, url, headers: { ...t.auth, 'content-type': 'application/json' }, payload: body === undefined ? undefined : JSON.stringify(body) });
  const top = async () => (await get(`/api/clearlinux/crashes/top-guilty?build=${BUILD}`)).json() as Top;
  const totals = (tp: Top) => Object.fromEntries(tp.rows.map((r) => [r.function, r.total]));
  const guiltyOf = async (name: string) => {
    const c = (await get(`/api/clearlinux/crashes/${ids[name]}`)).json() as Crash;
    return { function: c.guilty_function, module: c.guilty_module };
  };
  const waitForRegroup = async () => {
    let status = { state: 'running', diff: { totalBefore: -1, totalAfter: -2 } };
    await eventually(async () => {
      status = (await get('/api/clearlinux/never-guilty/regroup')).json() as typeof status;
      return status.state === 'done' || status.state === 'failed';
    }, 60_000, 'regroup');
    expect(status.state).toBe('done');
    return status;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const records: [string, Pair[], string, string, string][] = [
      // name, crashing-thread frames before main(), build, machine, os
      ['a1', [alpha], BUILD, 'm0', 'clear-linux-os'],
      ['a2', [alpha], BUILD, 'm0', 'clear-linux-os'],
      ['a3', [alpha], BUILD, 'm1', 'clear-linux-os'],
      ['a4', [alpha], BUILD, 'm2', 'other-os'], // top lists count it; the guilty detail does not (clear-linux-os only)
      ['a5', [alpha], '7', 'm0', 'clear-linux-os'], // a one-digit build: only in `overall` and the backtraces
      ['b1', [beta], BUILD, 'm0', 'clear-linux-os'],
      ['b2', [beta], BUILD, 'm1', 'clear-linux-os'],
      ['r1', [raise, gamma], BUILD, 'm0', 'clear-linux-os'],
      ['r2', [raise, gamma], BUILD, 'm1', 'clear-linux-os'],
    ];
    for (const [i, [name, frames, build, machine, os]] of records.entries()) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v2/collector',
        headers: {
          record_format_version: '4', classification: 'org.clearlinux/crash/clr', severity: '3', machine_id: `${machine}-${RUN}`,
          creation_timestamp: String(Math.floor(Date.now() / 1000)), arch: 'x86_64', host_type: 'blank|blank|blank', build,
          kernel_version: '5.0.7-744.native', payload_format_version: '1', system_name: os, board_name: 'b', cpu_model: 'c',
          bios_version: 'v', event_id: randomBytes(16).toString('hex'), 'X-Telemetry-TID': TID,
        },
        payload: payload(200 + i, frames),
      });
      expect(res.statusCode).toBe(201);
      ids[name] = String((res.json() as { id: number }).id);
    }
    await t.runtime.catchUp(['clearlinux-crashes']);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('gives every crash its guilty id, computed alike by the projection and by SQL (migration backfill)', async () => {
    const crash = (await get(`/api/clearlinux/crashes/${ids.a1}`)).json() as Crash;
    expect(crash.guilty_id).toBe(guiltyId(alpha));
    const [{ id }] = await t.db.query<{ id: string }>(
      `SELECT ${GUILTY_ID_SQL} AS id FROM (SELECT $1::text AS guilty_function, $2::text AS guilty_module) AS pair`,
      [alpha.function, alpha.module],
    );
    expect(id).toBe(guiltyId(alpha));
  });

  it('lists the top guilties of the build with their ids: alpha 4, beta 2, raise 2', async () => {
    const tp = await top();
    expect(totals(tp)).toEqual({ [alpha.function]: 4, [beta.function]: 2, 'raise()': 2 });
    expect(tp.rows[0]).toMatchObject({ ...alpha, id: guiltyId(alpha), comment: null });
    expect(tp.builds).toEqual([{ build: BUILD, max: 4 }]);
  });

  it('hides a guilty: gone from the top list and its per-build max, still reachable; unhide restores it', async () => {
    const id = guiltyId(alpha);
    const hidden = await send('PATCH', `/api/clearlinux/guilties/${id}`, { hidden: true });
    expect(hidden.statusCode).toBe(200);
    expect(hidden.json()).toMatchObject({ changed: true, guilty: { id, ...alpha, hidden: true } });

    const tp = await top();
    expect(totals(tp)).toEqual({ [beta.function]: 2, 'raise()': 2 });
    expect(tp.builds).toEqual([{ build: BUILD, max: 2 }]);
    expect(((await get(`/api/clearlinux/crashes/builds/${BUILD}`)).json() as { rows: Pair[] }).rows.map((r) => r.function)).not.toContain(alpha.function);
    // still reachable: by id, and in the list of annotated guilties
    expect((await get(`/api/clearlinux/guilties/${id}`)).json()).toMatchObject({ guilty: { id, hidden: true } });
    expect(((await get('/api/clearlinux/guilties')).json() as { guilties: { id: string; hidden: boolean }[] }).guilties).toContainEqual(
      expect.objectContaining({ id, hidden: true }),
    );
    // hiding again changes nothing
    expect((await send('PATCH', `/api/clearlinux/guilties/${id}`, { hidden: true })).json()).toMatchObject({ changed: false });

    expect((await send('PATCH', `/api/clearlinux/guilties/${id}`, { hidden: false })).json()).toMatchObject({ changed: true, guilty: { hidden: false } });
    const back = await top();
    expect(totals(back)).toEqual({ [alpha.function]: 4, [beta.function]: 2, 'raise()': 2 });
    expect(back.builds).toEqual([{ build: BUILD, max: 4 }]);
  });

  it('sets a comment (≤ 80 characters) shown in the top lists and on the console; longer → 400 naming the field', async () => {
    const id = guiltyId(beta);
    const long = await send('PATCH', `/api/clearlinux/guilties/${id}`, { comment: 'x'.repeat(81) });
    expect(long.statusCode).toBe(400);
    expect(long.json().message).toBe('comment must be at most 80 characters');
    expect((await send('PATCH', `/api/clearlinux/guilties/${id}`, { hidden: 'yes' })).json().message).toBe('hidden must be true or false');

    const ok = await send('PATCH', `/api/clearlinux/guilties/${id}`, { comment: 'y'.repeat(80) });
    expect(ok.statusCode).toBe(200);
    expect((await top()).rows.find((r) => r.function === beta.function)?.comment).toBe('y'.repeat(80));
    expect((await send('PATCH', `/api/clearlinux/guilties/${id}`, { comment: 'fixed upstream' })).json()).toMatchObject({ changed: true });
    expect((await top()).rows.find((r) => r.function === beta.function)?.comment).toBe('fixed upstream');
    const byBuild = (await get(`/api/clearlinux/crashes/builds/${BUILD}`)).json() as { rows: (Pair & { comment: string | null })[] };
    expect(byBuild.rows.find((r) => r.function === beta.function)?.comment).toBe('fixed upstream');
    const page = await get(`/console/clearlinux/crashes?build=${BUILD}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<td data-testid="guilty-comment">fixed upstream</td>');
  });

  it('answers 404 for an unknown or malformed guilty id', async () => {
    expect((await get('/api/clearlinux/guilties/0123456789abcdef')).statusCode).toBe(404);
    expect((await get('/api/clearlinux/guilties/nope')).statusCode).toBe(404);
    expect((await send('PATCH', '/api/clearlinux/guilties/0123456789abcdef', { hidden: true })).statusCode).toBe(404);
  });

  it('/crashes/<build>: top 10 of one build, or of every build with `overall`, all time', async () => {
    const one = (await get(`/api/clearlinux/crashes/builds/${BUILD}`)).json() as { build: string; rows: (Pair & { crashes: number; rank: number })[] };
    expect(one.build).toBe(BUILD);
    expect(one.rows.map((r) => [r.rank, r.function, r.crashes])).toEqual([
      [1, alpha.function, 4],
      [2, beta.function, 2],
      [3, 'raise()', 2],
    ]);
    const overall = (await get('/api/clearlinux/crashes/builds/overall')).json() as { build: string; rows: (Pair & { crashes: number })[] };
    expect(overall.build).toBe('overall');
    expect(overall.rows.find((r) => r.function === alpha.function)?.crashes).toBe(5); // a5 of build 7 counts here
    expect((await get('/api/clearlinux/crashes/builds/%01')).statusCode).toBe(400);
    expect((await get('/console/clearlinux/crashes/builds/overall')).body).toContain(alpha.function);
  });

  it('guilty detail: crashes per (build, machine), clear-linux-os and builds of ≥ 2 digits, build then count descending', async () => {
    const detail = (await get(`/api/clearlinux/guilties/${guiltyId(alpha)}`)).json() as { total: number; machines: { build: string; machine_id: string; crashes: number }[] };
    expect(detail.machines).toEqual([
      { build: BUILD, machine_id: `m0-${RUN}`, crashes: 2 },
      { build: BUILD, machine_id: `m1-${RUN}`, crashes: 1 },
    ]);
    expect(detail.total).toBe(3);
  });

  it('guilty backtraces: all time, optional machine_id and build filters, guilty frame highlighted on the page', async () => {
    const url = `/api/clearlinux/guilties/${guiltyId(alpha)}/crashes`;
    const all = (await get(url)).json() as { total: number; crashes: { record_id: string }[] };
    expect(all.total).toBe(5);
    expect((await get(`${url}?machine_id=m0-${RUN}`)).json()).toMatchObject({ total: 3 }); // a1, a2, a5
    expect((await get(`${url}?machine_id=m0-${RUN}&build=${BUILD}`)).json()).toMatchObject({ total: 2 });
    expect((await get(`${url}?build=7`)).json()).toMatchObject({ total: 1, crashes: [{ record_id: ids.a5 }] });
    const page = await get(`/console/clearlinux/guilties/${guiltyId(alpha)}/crashes?machine_id=m1-${RUN}`);
    expect(page.body).toContain('<strong data-testid="crash-list-total">1</strong>');
    expect(page.body).toContain(`<li class="guilty"><code>#0 ${alpha.function} - [${APP}]</code></li>`);
  });

  it('"apply" re-processes just this crash: its guilty changes, the twin keeps its own, counts are conserved', async () => {
    expect((await send('POST', `/api/clearlinux/crashes/${ids.r1}/never-guilty`, { never_guilty: [], reprocess: 'later' })).json().message).toBe(
      'reprocess must be one of record, all',
    );
    const res = await send('POST', `/api/clearlinux/crashes/${ids.r1}/never-guilty`, { never_guilty: [raise], reprocess: 'record' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ changed: true, marked: [raise], crash: { recordId: ids.r1, guilty: gamma } });
    expect(await guiltyOf('r1')).toEqual(gamma);
    expect(await guiltyOf('r2')).toEqual(raise); // not re-processed yet (spec 7.5)
    expect(totals(await top())).toEqual({ [alpha.function]: 4, [beta.function]: 2, 'raise()': 1, [gamma.function]: 1 });
    expect((await get(`/api/clearlinux/guilties/${guiltyId(gamma)}`)).json()).toMatchObject({ total: 1 });
    // the same "apply" again: the list is unchanged (200), the record re-processed to the same guilty
    const again = await send('POST', `/api/clearlinux/crashes/${ids.r1}/never-guilty`, { never_guilty: [raise], reprocess: 'record' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ changed: false, crash: { guilty: gamma } });
  });

  it('reset re-processes every crash with the list as it is; hidden flags and comments survive it', async () => {
    await send('PATCH', `/api/clearlinux/guilties/${guiltyId(alpha)}`, { hidden: true });
    const res = await send('POST', '/api/clearlinux/never-guilty/reset');
    expect(res.statusCode).toBe(202);
    const status = await waitForRegroup();
    expect(status.diff.totalAfter).toBe(status.diff.totalBefore);
    expect(await guiltyOf('r2')).toEqual(gamma);
    expect(totals(await top())).toEqual({ [beta.function]: 2, [gamma.function]: 2 });
    expect((await top()).rows.find((r) => r.function === beta.function)?.comment).toBe('fixed upstream');
  });

  it('rebuilding the notes from the log keeps them', async () => {
    await t.runtime.replay('clearlinux-guilty-notes');
    expect((await get(`/api/clearlinux/guilties/${guiltyId(alpha)}`)).json()).toMatchObject({ guilty: { hidden: true } });
    expect((await get(`/api/clearlinux/guilties/${guiltyId(beta)}`)).json()).toMatchObject({ guilty: { hidden: false, comment: 'fixed upstream' } });
    expect(totals(await top())).toEqual({ [beta.function]: 2, [gamma.function]: 2 });
  });
});
