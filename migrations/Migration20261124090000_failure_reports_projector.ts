import { Migration } from '@mikro-orm/migrations';

/**
 * The failure-report tables (`failure_reports`, `customer_contacts`) get their own projector,
 * `fuel-failure-reports`; until now the `alerts` projector wrote them alongside its triggers. The new
 * projector starts where `alerts` stands: everything up to that position is already in the tables. Starting
 * it from zero would also end in the same rows (inserts do nothing on conflict, acknowledge/assign replay in
 * order to the same final state), but it would read the whole log again on first start; and nothing is
 * notified twice either way, since notifications come from `alerts`, whose checkpoint stays as it is.
 * Only the partitions that carry failure-report events are copied: the embedded log's single partition
 * (''), and in Kafka mode the `fuel.failure-reports` topic's (`<prefix>fuel.failure-reports:<n>`).
 */
export class Migration20261124090000FailureReportsProjector extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      INSERT INTO projector_checkpoints (projector, partition, position, updated_at)
      SELECT 'fuel-failure-reports', partition, position, now() FROM projector_checkpoints
       WHERE projector = 'alerts' AND (partition = '' OR partition LIKE '%fuel.failure-reports:%')
      ON CONFLICT (projector, partition) DO NOTHING;`);
  }
}
