import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../../support/app';
import { v4Headers } from '../../support/clearlinux-headers';
import { readFixture } from '../../support/fixtures';
import { postFuel } from '../../support/fuel';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The k-anonymity floors with no setting at all (k = 5): on a handful of machines every group backed by
 * fewer than 5 distinct machines is merged into "other (n groups)" (Fuel: "other"), and nothing is lost.
 * Machines m1–m6 run build 100, m7–m8 build 200 (m8 on odd hardware), m9 another OS.
 */
describe('privacy floor on by default (ANALYTICS_MIN_MACHINES, REPORT_MIN_INSTALLATIONS = 5)', () => {
  let t: TestApp;
  const RUN = randomUUID().replaceAll('-', '').slice(0, 8);
  const machine = (n: number) => `${RUN}${String(n).padStart(24, '0')}`;
  let eventNo = 0;
  const post = async (n: number, classification: string, build: string, extra: Record<string, string> = {}) => {
    eventNo += 1;
    const headers = v4Headers({
      classification,
      build,
      machine_id: machine(n),
      creation_timestamp: String(Math.floor(Date.now() / 1000) - 3600),
      event_id: `${RUN}${String(eventNo).padStart(24, '0')}`,
      ...extra,
    });
    const res = await t.app.inject({ method: 'POST', url: '/v2/collector', headers, payload: 'CPU 1 BANK 2\nSTATUS 8c00004000010090 MCGSTATUS 0\n' });
    expect(res.statusCode).toBe(201);
  };

  beforeAll(async () => {
    t = await startTestApp({ ANALYTICS_MIN_MACHINES: undefined, REPORT_MIN_INSTALLATIONS: undefined });
    for (let n = 1; n <= 6; n++) {
      await post(n, 'org.clearlinux/heartbeat/ping', '100');
      await post(n, 'org.clearlinux/mce/corrected', '100');
    }
    await post(7, 'org.clearlinux/heartbeat/ping', '200');
    await post(8, 'org.clearlinux/heartbeat/ping', '200', { host_type: 'Odd|Box|1' });
    await post(7, 'org.clearlinux/mce/SRAO', '200');
    await post(7, 'org.clearlinux/mce/thermal', '200');
    await post(8, 'org.clearlinux/mce/thermal', '200');
    await post(9, 'org.clearlinux/heartbeat/ping', '100', { system_name: 'rare-os' });
    const s = structuredClone(readFixture<Obj>('fuelstats/installation-structure-full-9.0.json').installation_structure);
    s.master_node_uid = `fuel-${RUN}`;
    await postFuel(t, 'installation_structure', { installation_structure: s });
    await t.runtime.catchUp();
  });
  afterAll(async () => t?.close());

  const get = async (url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: t.auth });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  it('Builds: build 200 (2 machines) is merged, the total keeps its records', async () => {
    const v = await get('/api/clearlinux/builds');
    expect(v.builds).toEqual([{ build: '100', records: 13 }]);
    expect(v.otherBuilds).toEqual([{ build: 'other (1 group)', records: 5 }]);
    expect(v.total).toBe(18);
    expect(v.series.map((r: { build: string }) => r.build).sort()).toEqual(['100', 'other (1 group)']);
  });

  it('Stats: rare classifications and platforms are merged', async () => {
    const v = await get('/api/clearlinux/stats');
    expect(v.classifications).toEqual([
      { name: 'org.clearlinux/heartbeat/ping', records: 9 },
      { name: 'org.clearlinux/mce/corrected', records: 6 },
      { name: 'other (2 groups)', records: 3 },
    ]);
    expect(v.platforms.map((p: { name: string }) => p.name)).toEqual([v4Headers().host_type, 'other (1 group)']);
    expect(v.total).toBe(18);
  });

  it('MCE: the class, build and week cell of one machine are merged; Thermal: a week of two machines', async () => {
    const mce = await get('/api/clearlinux/mce');
    expect(mce.total).toBe(7);
    expect(mce.classes.filter((c: { records: number }) => c.records > 0)).toEqual([
      { class: 'org.clearlinux/mce/corrected', records: 6 },
      { class: 'other (1 group)', records: 1 },
    ]);
    expect(mce.builds).toEqual([{ build: '100', records: 6 }, { build: 'other (1 group)', records: 1 }]);
    expect(mce.weekly.map((w: { class: string; records: number }) => [w.class, w.records])).toEqual([
      ['org.clearlinux/mce/corrected', 6],
      ['other (1 group)', 1],
    ]);
    const thermal = await get('/api/clearlinux/thermal');
    expect(thermal.total).toBe(2);
    expect(thermal.weeks.filter((w: { records: number }) => w.records > 0)).toEqual([expect.objectContaining({ week: 'other (1 group)', records: 2 })]);
  });

  it('Population: build 200 (2 machines) is merged in every window', async () => {
    const v = await get('/api/clearlinux/population');
    const overall = v.windows[0];
    expect(overall.builds.map((b: { build: string }) => b.build)).toEqual(['100']);
    expect(overall.otherBuilds).toEqual([{ build: 'other (1 group)', internal: expect.any(Number), external: expect.any(Number) }]);
    expect(overall.otherBuilds[0].internal + overall.otherBuilds[0].external).toBe(2);
  });

  it('the console pages show the merged rows', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/console/clearlinux/stats', headers: { ...t.auth, accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('other (2 groups)');
    expect(page.body).not.toContain('org.clearlinux/mce/SRAO');
  });

  it('plugin views: the OS of one machine is merged', async () => {
    const v = await get('/api/plugins/records-per-os?days=7');
    expect(v.rows).toEqual([
      { os_name: 'clear-linux-os', records: 8, machines: 8 },
      { os_name: 'other (1 group)', records: 1, machines: null },
    ]);
  });

  it('Fuel reports: the release of one installation becomes "other"', async () => {
    const v = await get('/api/v1/json/report/releases');
    expect(Object.keys(v.fuel_releases)).toEqual(['other']);
  });
});
