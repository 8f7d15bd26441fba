import { runMigrations } from '../../../src/database/orm';
import { freshDatabase, TestDatabase } from '../../support/database';

const MIGRATION = 'Migration20261123154000_clearlinux_population_totals';

/**
 * Upgrading a database that already holds population machine rows: the totals start from them, and from
 * then on the table's triggers keep them equal to its row count per (build, source) whatever writes it —
 * a new machine id counts once, a repeated or late heartbeat (an upsert that only moves the latest
 * capture) counts nothing, a deleted row counts down and a (build, source) with none left disappears.
 */
describe(`${MIGRATION} on a database with data`, () => {
  let database: TestDatabase;
  const q = <T>(sql: string) => database.db.query<T>(sql);
  const totals = () => q(`SELECT build, external, machines::int AS machines FROM clr_population_totals ORDER BY 1, 2`);
  /** The projector's write: the latest capture per machine id, only ever raised. */
  const upsert = (values: string) =>
    q(`INSERT INTO clr_population_machines (build, external, machine_id, last_capture) VALUES ${values}
       ON CONFLICT (build, external, machine_id) DO UPDATE SET last_capture = EXCLUDED.last_capture
       WHERE clr_population_machines.last_capture < EXCLUDED.last_capture`);

  beforeAll(async () => {
    database = await freshDatabase();
    // back to the state before the migration
    await q(`DROP TABLE clr_population_totals`);
    await q(`DROP FUNCTION clr_population_totals_add() CASCADE`);
    await q(`DROP FUNCTION clr_population_totals_remove() CASCADE`);
    await q(`DELETE FROM mikro_orm_migrations WHERE name = '${MIGRATION}'`);
    await upsert(`('31000', false, 'a', '2026-11-01 10:00+00'), ('31000', false, 'b', '2026-11-02 10:00+00'),
                  ('31000', true, 'a', '2026-11-02 10:00+00'), ('31010', false, 'c', '2026-11-02 10:00+00')`);
    expect(await runMigrations(database.db.orm)).toEqual([MIGRATION]);
  }, 120_000);
  afterAll(async () => database?.drop());

  it('fills the machine ids per (build, source) from the existing rows', async () => {
    expect(await totals()).toEqual([
      { build: '31000', external: false, machines: 2 },
      { build: '31000', external: true, machines: 1 },
      { build: '31010', external: false, machines: 1 },
    ]);
  });

  it('counts only rows a statement really inserts: new ids, not repeated or late heartbeats of known ones', async () => {
    // a: later capture (update), b: earlier capture (nothing), d and e: new, one of them in a new build
    await upsert(`('31000', false, 'a', '2026-11-05 10:00+00'), ('31000', false, 'b', '2026-10-01 10:00+00'),
                  ('31000', false, 'd', '2026-11-05 10:00+00'), ('31020', true, 'e', '2026-11-05 10:00+00')`);
    await upsert(`('31000', false, 'd', '2026-11-05 10:00+00')`); // the same batch delivered again
    expect(await totals()).toEqual([
      { build: '31000', external: false, machines: 3 },
      { build: '31000', external: true, machines: 1 },
      { build: '31010', external: false, machines: 1 },
      { build: '31020', external: true, machines: 1 },
    ]);
  });

  it('counts deleted rows down and drops a (build, source) with no machine left', async () => {
    await q(`DELETE FROM clr_population_machines WHERE machine_id IN ('a', 'c')`);
    expect(await totals()).toEqual([
      { build: '31000', external: false, machines: 2 },
      { build: '31020', external: true, machines: 1 },
    ]);
    expect(await q(`SELECT build, external, count(*)::int AS machines FROM clr_population_machines GROUP BY 1, 2 ORDER BY 1, 2`)).toEqual(await totals());
  });
});
