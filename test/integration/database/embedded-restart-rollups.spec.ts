import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RollupDowngradeRefused, RollupInstaller } from '../../../src/database/rollup-installer';
import { CLR_CRASH_GUILTY_DAILY } from '../../../src/sources/clearlinux/crashes/crash-guilty-daily.rollup';
import { DatabaseCapabilities } from '../../../src/database/capabilities';
import { DB_CAPABILITIES } from '../../../src/config/tokens';
import { SERVER_URL } from '../../support/database';
import { startTestApp, TestApp } from '../../support/app';

const caggs = (t: TestApp) =>
  t.db.query<{ view_name: string }>(`SELECT view_name FROM timescaledb_information.continuous_aggregates ORDER BY 1`).then((r) => r.map((v) => v.view_name));

/**
 * The embedded TimescaleDB loads lazily: before anything touched it, its license setting read null, and
 * every start after the first re-created the continuous aggregates as plain views.
 */
(SERVER_URL ? describe.skip : describe)('embedded rollups across a restart', () => {
  let dataDir: string;
  let t: TestApp | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tp-restart-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps its continuous aggregates on the second start', async () => {
    t = await startTestApp({ DATA_DIR: dataDir });
    const first = await caggs(t);
    expect(first.length).toBeGreaterThan(0);
    await t.close();
    t = await startTestApp({ DATA_DIR: dataDir });
    expect(t.app.get(RollupInstaller).mode).toBe('continuous-aggregate');
    expect(await caggs(t)).toEqual(first);
  });

  it('refuses to re-create continuous aggregates as views on a database that offers none, unless allowed', async () => {
    const caps = t!.app.get<DatabaseCapabilities>(DB_CAPABILITIES);
    // the same database as seen through a server without continuous aggregates (e.g. moved to Apache TimescaleDB)
    const apache: DatabaseCapabilities = { ...caps, timescaledbLicense: 'apache', continuousAggregates: false, rollupMode: 'view-over-hypertable' };
    await expect(new RollupInstaller(t!.db, apache).install(CLR_CRASH_GUILTY_DAILY)).rejects.toBeInstanceOf(RollupDowngradeRefused);
    expect(await caggs(t!)).toContain(CLR_CRASH_GUILTY_DAILY.name);
    await new RollupInstaller(t!.db, apache, { allowDowngrade: true }).install(CLR_CRASH_GUILTY_DAILY);
    expect(await caggs(t!)).not.toContain(CLR_CRASH_GUILTY_DAILY.name);
  });
});
