import { Migration } from '@mikro-orm/migrations';

/**
 * The version of each projector whose rows are in the database. Every projector that has applied
 * anything so far did so as version 1 (versions start there), so existing databases are not rebuilt by
 * this upgrade; a projector later bumped in code is rebuilt from the log at start-up.
 */
export class Migration20261204030000ProjectorVersions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE projector_versions (
        projector  text        PRIMARY KEY,
        version    integer     NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );`);
    this.addSql(`INSERT INTO projector_versions (projector, version) SELECT DISTINCT projector, 1 FROM projector_checkpoints;`);
  }
}
