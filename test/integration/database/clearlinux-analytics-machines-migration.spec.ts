import { RollupInstaller } from '../../../src/database/rollup-installer';
import { runMigrations } from '../../../src/database/orm';
import { freshDatabase, TestDatabase } from '../../support/database';

const MIGRATION = 'Migration20261123151000_clearlinux_analytics_machines';

/**
 * Upgrading a database that already holds analytics rows: the per-machine tables start from what
 * `clr_mce_events` / `clr_heartbeats` hold (the projector's checkpoint is past those events), and the
 * hourly population rollup they replace is dropped in whatever form it was installed.
 */
describe(`${MIGRATION} on a database with data`, () => {
  let database: TestDatabase;
  const q = <T>(sql: string) => database.db.query<T>(sql);

  beforeAll(async () => {
    database = await freshDatabase();
    // back to the state before the migration, with the rollup it replaces installed
    await q(`DROP TABLE clr_population_machines, clr_mce_machine_builds, clr_mce_machine_totals`);
    await q(`DROP FUNCTION clr_utc_year(timestamptz)`);
    await q(`DELETE FROM mikro_orm_migrations WHERE name = '${MIGRATION}'`);
    await new RollupInstaller(database.db, database.capabilities).install({
      name: 'clr_population_hourly',
      // bucketed by reception time: heartbeats have since been partitioned on it (a continuous aggregate can
      // only bucket its hypertable's time column), and the drop is what is tested
      select: `SELECT time_bucket(interval '1 hour', ts_reception) AS bucket, build, external, machine_id, count(*) AS records
               FROM clr_heartbeats GROUP BY 1, 2, 3, 4`,
    });
    await q(`
      INSERT INTO clr_heartbeats (log_event_id, ts_capture, machine_id, build, external) VALUES
        (gen_random_uuid(), '2026-11-01 10:00+00', 'a', '31000', false),
        (gen_random_uuid(), '2026-11-03 10:00+00', 'a', '31000', false),
        (gen_random_uuid(), '2026-11-02 10:00+00', 'a', '31000', true),
        (gen_random_uuid(), '2026-11-02 10:00+00', 'b', '31010', false)`);
    await q(`
      INSERT INTO clr_mce_events (record_id, log_event_id, ts_capture, ts_reception, machine_id, build, kind) VALUES
        (1, gen_random_uuid(), '2025-12-31 23:59+00', now(), 'm', '31000', 'corrected'),
        (2, gen_random_uuid(), '2026-01-01 00:00+00', now(), 'm', '31000', 'corrected'),
        (3, gen_random_uuid(), '2026-02-01 00:00+00', now(), 'm', '31010', 'SRAR'),
        (4, gen_random_uuid(), '2026-02-01 00:00+00', now(), 'm', '31010', 'thermal'),
        (5, gen_random_uuid(), '2026-03-01 00:00+00', now(), 'n', '31000', 'UCNA')`);
    expect(await runMigrations(database.db.orm)).toEqual([MIGRATION]);
  }, 120_000);
  afterAll(async () => database?.drop());

  it('fills the latest capture per (build, source, machine id)', async () => {
    expect(await q(`SELECT build, external, machine_id, to_char(last_capture AT TIME ZONE 'UTC', 'MM-DD') AS last FROM clr_population_machines ORDER BY 1, 2, 3`)).toEqual([
      { build: '31000', external: false, machine_id: 'a', last: '11-03' },
      { build: '31000', external: true, machine_id: 'a', last: '11-02' },
      { build: '31010', external: false, machine_id: 'b', last: '11-02' },
    ]);
  });

  it('fills machine-check counts per UTC capture year, machine and build (thermal left out)', async () => {
    expect(await q(`SELECT year, machine_id, build, events FROM clr_mce_machine_builds ORDER BY 1, 2, 3`)).toEqual([
      { year: 2025, machine_id: 'm', build: '31000', events: 1 },
      { year: 2026, machine_id: 'm', build: '31000', events: 1 },
      { year: 2026, machine_id: 'm', build: '31010', events: 1 },
      { year: 2026, machine_id: 'n', build: '31000', events: 1 },
    ]);
    expect(await q(`SELECT year, machine_id, events FROM clr_mce_machine_totals ORDER BY 1, 2`)).toEqual([
      { year: 2025, machine_id: 'm', events: 1 },
      { year: 2026, machine_id: 'm', events: 2 },
      { year: 2026, machine_id: 'n', events: 1 },
    ]);
  });

  it('drops the hourly population rollup and its record', async () => {
    expect(await q(`SELECT to_regclass('clr_population_hourly') AS rel`)).toEqual([{ rel: null }]);
    expect(await q(`SELECT name FROM rollup_definitions WHERE name = 'clr_population_hourly'`)).toEqual([]);
  });
});
