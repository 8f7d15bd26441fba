import { Migration } from '@mikro-orm/migrations';

/**
 * What instances sharing this database must agree on (contact encryption key, admin/session signing),
 * as proofs that reveal nothing of the secret: the first instance writes them, every later one checks
 * its own against them and refuses to start on a mismatch (src/coordination/shared-settings.ts).
 */
export class Migration20261124090000SharedSettings extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE IF NOT EXISTS shared_settings (
        name text PRIMARY KEY,
        proof text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );`);
  }
}
