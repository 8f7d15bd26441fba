import { Migration } from '@mikro-orm/migrations';

/**
 * Secrets this installation makes for itself and every instance sharing the database must use alike
 * (`machine-id-hmac`: the key of the machine-id hashes shown below the support role). The first instance to
 * start writes a random value; later ones read it (src/coordination/installation-secrets.ts).
 */
export class Migration20261204061000InstallationSecrets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE IF NOT EXISTS installation_secrets (
        name text PRIMARY KEY,
        secret bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );`);
  }
}
