import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../src/common/paths';
import { WITHOUT_PRIVACY_FLOOR, startTestApp, TestApp } from '../../support/app';

/** Plugin views on the real app: discovered from PLUGINS_DIR, parameters validated, queries read-only. */
const TID = '6907c830-eed9-4ce9-81ae-76daf8d88f0f';

describe('plugin views', () => {
  let t: TestApp;
  let dir: string;
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers: { ...t.auth, ...headers } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tp-plugins-'));
    cpSync(join(PROJECT_ROOT, 'plugins', 'records-per-os'), join(dir, 'records-per-os'), { recursive: true });
    mkdirSync(join(dir, 'sneaky'));
    writeFileSync(join(dir, 'sneaky', 'view.json'), JSON.stringify({ name: 'sneaky', title: 'Writes', groups: { by: ['id'], machines: 'id' } }));
    writeFileSync(join(dir, 'sneaky', 'query.sql'), `SELECT nextval('clr_record_id_seq') AS id`);
    writeFileSync(join(dir, 'sneaky', 'view.hbs'), '{{#each rows}}{{id}}{{/each}}');
    t = await startTestApp({ ...WITHOUT_PRIVACY_FLOOR, PLUGINS_DIR: dir, PLUGINS_ENABLED: undefined });
    const base = {
      record_format_version: '4', classification: 'org.clearlinux/heartbeat/ping', severity: '1', creation_timestamp: String(Math.floor(Date.now() / 1000)),
      arch: 'x86_64', host_type: 'blank|blank|blank', kernel_version: '5.3.1-1.native', payload_format_version: '1', board_name: 'b', cpu_model: 'c',
      bios_version: 'v', 'X-Telemetry-TID': TID,
    };
    const send = async (machine: string, system: string, build: string, n: number) => {
      const res = await t.app.inject({ method: 'POST', url: '/v2/collector', headers: { ...base, machine_id: machine, system_name: system, build, event_id: n.toString(16).padStart(32, '0') }, payload: 'ping' });
      expect(res.statusCode).toBe(201);
    };
    await send(`m1${Date.now()}`, 'clear-linux-os', '31000', 1);
    await send(`m1${Date.now()}`, 'clear-linux-os', '31000', 2);
    await send(`m2${Date.now()}`, 'ubuntu', '18.04', 3);
    await t.runtime.catchUp(['clearlinux-records']);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the discovered plugins', async () => {
    const res = await get('/api/plugins');
    expect(res.json().plugins.map((p: { name: string }) => p.name)).toEqual(['records-per-os', 'sneaky']);
  });

  it('answers the example query as JSON, equal to the same SQL run directly', async () => {
    const res = await get('/api/plugins/records-per-os?days=2');
    expect(res.statusCode).toBe(200);
    const direct = await t.db.query(
      `SELECT os_name, count(*)::int AS records, count(DISTINCT machine_id)::int AS machines FROM records
       WHERE classification = 'org.clearlinux/heartbeat/ping' AND ts_reception > now() - interval '2 days' GROUP BY 1 ORDER BY 2 DESC, 1`,
    );
    expect(res.json()).toEqual({ plugin: 'records-per-os', params: { days: 2, classification: 'org.clearlinux/heartbeat/ping' }, rows: direct, truncated: false });
    expect(direct.length).toBeGreaterThanOrEqual(2);
  });

  it('renders the page with its chart and template, and the htmx partial alone', async () => {
    const page = await get('/console/plugins/records-per-os');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-chart="plugin-records-per-os"');
    expect(page.body).toMatch(/<td>clear-linux-os<\/td><td>\d+<\/td><td>\d+<\/td>/);
    const partial = await get('/console/plugins/records-per-os?days=3', { 'hx-request': 'true' });
    expect(partial.body).not.toContain('<html');
    expect(partial.body).toContain('data-testid="plugin-table"');
    expect((await get('/console/plugins')).body).toContain('/console/plugins/records-per-os');
  });

  it('answers 400 naming a bad parameter and 404 for an unknown plugin', async () => {
    expect((await get('/api/plugins/records-per-os?days=0')).json()).toEqual({ message: 'days must be ≥ 1' });
    expect((await get('/api/plugins/records-per-os?classification=nope')).statusCode).toBe(400);
    expect((await get('/api/plugins/absent')).statusCode).toBe(404);
  });

  it('runs plugin queries read-only', async () => {
    const [{ before }] = await t.db.query<{ before: string }>(`SELECT last_value::text AS before FROM clr_record_id_seq`);
    const res = await get('/api/plugins/sneaky');
    expect(res.statusCode).toBe(500);
    const [{ after }] = await t.db.query<{ after: string }>(`SELECT last_value::text AS after FROM clr_record_id_seq`);
    expect(after).toBe(before);
  });

  it('needs the admin credential', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/plugins/records-per-os' })).statusCode).toBe(401);
  });
});
