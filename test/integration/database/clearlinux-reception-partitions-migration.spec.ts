import { RollupInstaller } from '../../../src/database/rollup-installer';
import { runMigrations } from '../../../src/database/orm';
import { freshDatabase, TestDatabase } from '../../support/database';

const MIGRATION = 'Migration20261204050000_clearlinux_reception_partitions';

/**
 * Upgrading a database whose MCE events and heartbeats are partitioned on capture time, with the capture-day
 * MCE rollup installed (a continuous aggregate where the server has them): every row is kept, the tables are
 * partitioned on reception time, and the daily counts move into the projector's table.
 */
describe(`${MIGRATION} on a database with data`, () => {
  let database: TestDatabase;
  const q = <T>(sql: string) => database.db.query<T>(sql);
  const timescale = () => database.capabilities.timescaledb;

  beforeAll(async () => {
    database = await freshDatabase();
    // back to the state before the migration
    for (const table of ['clr_mce_daily', 'clr_mce_events', 'clr_heartbeats']) await q(`DROP TABLE ${table}`);
    await q(`
      CREATE TABLE clr_mce_events (
        record_id bigint NOT NULL, log_event_id uuid NOT NULL, ts_capture timestamptz NOT NULL, ts_reception timestamptz NOT NULL,
        machine_id text NOT NULL, build text NOT NULL, kind text NOT NULL, cpu integer, bank integer, socket_id integer,
        apic_id integer, mci_status text, mcg_status text, error_text text, mca text, transaction text, cpu_vendor text,
        cpu_family integer, cpu_model integer, UNIQUE (log_event_id, ts_capture))`);
    await q(`SELECT tp_make_hypertable('clr_mce_events', 'ts_capture', interval '30 days')`);
    await q(`CREATE INDEX clr_mce_events_kind_ts ON clr_mce_events (kind, ts_capture)`);
    await q(`
      CREATE TABLE clr_heartbeats (
        log_event_id uuid NOT NULL, ts_capture timestamptz NOT NULL, machine_id text NOT NULL, build text NOT NULL,
        external boolean NOT NULL, UNIQUE (log_event_id, ts_capture))`);
    await q(`SELECT tp_make_hypertable('clr_heartbeats', 'ts_capture', interval '7 days')`);
    await q(`DELETE FROM mikro_orm_migrations WHERE name = '${MIGRATION}'`);
    await new RollupInstaller(database.db, database.capabilities).install({
      name: 'clr_mce_daily',
      select: `SELECT time_bucket(interval '1 day', ts_capture) AS bucket, build, kind, count(*) AS events FROM clr_mce_events GROUP BY 1, 2, 3`,
    });
    await q(`
      INSERT INTO clr_mce_events (record_id, log_event_id, ts_capture, ts_reception, machine_id, build, kind, cpu) VALUES
        (1, '00000000-0000-4000-8000-000000000001', '1990-05-01 10:00+00', '2026-12-01 08:00+00', 'm', '31000', 'corrected', 3),
        (2, '00000000-0000-4000-8000-000000000002', '1990-05-01 23:00+00', '2026-12-01 09:00+00', 'm', '31000', 'corrected', 4),
        (3, '00000000-0000-4000-8000-000000000003', '2026-11-30 10:00+00', '2026-12-01 10:00+00', 'n', '31000', 'thermal', 1)`);
    // one heartbeat whose record is kept (its reception time is the record's), one whose record is not
    await q(`
      INSERT INTO records (id, record_key, log_event_id, classification, domain, probe, rest, severity, machine_id, machine_type,
        arch, kernel_version, os_name, build, record_format_version, payload_format_version, board_name, cpu_model, bios_version,
        event_id, external, ts_capture, ts_reception, payload)
      VALUES (10, 'k', '00000000-0000-4000-8000-00000000000a', 'org.clearlinux/heartbeat/ping', 'org.clearlinux', 'heartbeat', 'ping', 1,
        'a', 't', 'x86_64', '6.1', 'clear-linux-os', '31000', 4, 1, 'b', 'c', 'd', 'e', false, '2040-01-01 00:00+00', '2026-12-02 12:00+00', 'x')`);
    await q(`
      INSERT INTO clr_heartbeats (log_event_id, ts_capture, machine_id, build, external) VALUES
        ('00000000-0000-4000-8000-00000000000a', '2040-01-01 00:00+00', 'a', '31000', false),
        ('00000000-0000-4000-8000-00000000000b', '2026-11-02 10:00+00', 'b', '31000', false)`);
    expect(await runMigrations(database.db.orm)).toEqual([MIGRATION]);
  }, 120_000);
  afterAll(async () => database?.drop());

  it('keeps every MCE event, unique by reception time', async () => {
    expect(await q(`SELECT record_id::int AS id, to_char(ts_capture AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24') AS capture, cpu FROM clr_mce_events ORDER BY 1`)).toEqual([
      { id: 1, capture: '1990-05-01 10', cpu: 3 },
      { id: 2, capture: '1990-05-01 23', cpu: 4 },
      { id: 3, capture: '2026-11-30 10', cpu: 1 },
    ]);
    await expect(q(`INSERT INTO clr_mce_events (record_id, log_event_id, ts_capture, ts_reception, machine_id, build, kind)
                    VALUES (1, '00000000-0000-4000-8000-000000000001', '1991-01-01', '2026-12-01 08:00+00', 'm', '31000', 'corrected')`)).rejects.toThrow(/duplicate key/);
  });

  it("gives each heartbeat its record's reception time, else its capture time", async () => {
    expect(await q(`SELECT machine_id, to_char(ts_reception AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24') AS reception FROM clr_heartbeats ORDER BY 1`)).toEqual([
      { machine_id: 'a', reception: '2026-12-02 12' },
      { machine_id: 'b', reception: '2026-11-02 10' },
    ]);
  });

  it('partitions both tables on reception time where the server has hypertables', async () => {
    const dimensions = timescale()
      ? await q(`SELECT hypertable_name AS table, column_name AS column FROM timescaledb_information.dimensions
                 WHERE hypertable_name IN ('clr_mce_events', 'clr_heartbeats') ORDER BY 1`)
      : [];
    expect(dimensions).toEqual(
      timescale()
        ? [
            { table: 'clr_heartbeats', column: 'ts_reception' },
            { table: 'clr_mce_events', column: 'ts_reception' },
          ]
        : [],
    );
  });

  it('moves the capture-day counts into a table and forgets the rollup', async () => {
    expect(await q(`SELECT c.relkind::text AS kind FROM pg_class c WHERE c.relname = 'clr_mce_daily'`)).toEqual([{ kind: 'r' }]);
    expect(await q(`SELECT to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, kind, events::int FROM clr_mce_daily ORDER BY 1`)).toEqual([
      { day: '1990-05-01', kind: 'corrected', events: 2 },
      { day: '2026-11-30', kind: 'thermal', events: 1 },
    ]);
    expect(await q(`SELECT name FROM rollup_definitions WHERE name = 'clr_mce_daily'`)).toEqual([]);
  });
});
