import { Migration } from '@mikro-orm/migrations';

/**
 * Who read which customer contact, and when: one row per decrypted contact shown (support API and console),
 * for admins (`GET /api/admin/contact-reads`). And who assigned a report, beside whom it was assigned to.
 */
export class Migration20261204181000ContactReads extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE contact_reads (
        id           bigserial   PRIMARY KEY,
        report_uuid  text        NOT NULL,
        read_by      text        NOT NULL,
        subject_kind text        NOT NULL,
        subject_id   text        NOT NULL,
        read_at      timestamptz NOT NULL DEFAULT now()
      );`);
    this.addSql(`CREATE INDEX contact_reads_report ON contact_reads (report_uuid, read_at DESC);`);
    this.addSql(`ALTER TABLE failure_reports ADD COLUMN assigned_by text;`);
  }
}
