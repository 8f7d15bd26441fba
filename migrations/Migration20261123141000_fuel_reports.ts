import { Migration } from '@mikro-orm/migrations';

/**
 * Fuel reports (spec fuelstats.md §6 R4): the node's hardware product name (`meta.system.product`) beside its
 * manufacturer. Rows projected before this migration keep NULL until the installation posts again (or the
 * fuel-installations projector is replayed).
 */
export class Migration20261123141000FuelReports extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE fuel_nodes ADD COLUMN product text;`);
  }
}
