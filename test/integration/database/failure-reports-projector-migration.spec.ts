import { runMigrations } from '../../../src/database/orm';
import { freshDatabase, TestDatabase } from '../../support/database';

const MIGRATION = 'Migration20261124090000_failure_reports_projector';

/**
 * Upgrading a database whose failure-report tables were written by the `alerts` projector: the new
 * `fuel-failure-reports` projector starts at the alerts checkpoint for the partitions that carry report
 * events (embedded log, `fuel.failure-reports` topic), so it neither re-reads the log nor skips anything.
 */
describe(`${MIGRATION} on a database with checkpoints`, () => {
  let database: TestDatabase;
  const q = <T>(sql: string) => database.db.query<T>(sql);

  beforeAll(async () => {
    database = await freshDatabase();
    await q(`DELETE FROM mikro_orm_migrations WHERE name = '${MIGRATION}'`);
    await q(`DELETE FROM projector_checkpoints WHERE projector IN ('alerts', 'fuel-failure-reports')`);
    await q(`INSERT INTO projector_checkpoints (projector, partition, position) VALUES
               ('alerts', '', 41), ('alerts', 'run1.fuel.failure-reports:0', 7), ('alerts', 'run1.telemetry.records:0', 9)`);
    expect(await runMigrations(database.db.orm)).toEqual([MIGRATION]);
  }, 120_000);
  afterAll(async () => database?.drop());

  it('copies the alerts positions of the failure-report partitions and leaves alerts as it was', async () => {
    const rows = await q<{ projector: string; partition: string; position: string }>(
      `SELECT projector, partition, position::text AS position FROM projector_checkpoints WHERE projector IN ('alerts', 'fuel-failure-reports') ORDER BY 1, 2`,
    );
    expect(rows).toEqual([
      { projector: 'alerts', partition: '', position: '41' },
      { projector: 'alerts', partition: 'run1.fuel.failure-reports:0', position: '7' },
      { projector: 'alerts', partition: 'run1.telemetry.records:0', position: '9' },
      { projector: 'fuel-failure-reports', partition: '', position: '41' },
      { projector: 'fuel-failure-reports', partition: 'run1.fuel.failure-reports:0', position: '7' },
    ]);
  });
});
