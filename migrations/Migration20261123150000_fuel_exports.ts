import { Migration } from '@mikro-orm/migrations';

/**
 * Fuel exports (spec fuelstats.md §5.4): the OSWL time series reads one resource type in (created_date, id)
 * order, one keyset page at a time; with the row id in the index each page is a plain index range scan
 * instead of re-sorting every record of the type from the page's day on. Supersedes the (type, date) index.
 */
export class Migration20261123150000FuelExports extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE INDEX fuel_oswl_type_date_id ON fuel_oswl (resource_type, created_date, id);`);
    this.addSql(`DROP INDEX fuel_oswl_type_date;`);
  }
}
