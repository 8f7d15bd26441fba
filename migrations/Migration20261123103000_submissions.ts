import { Migration } from '@mikro-orm/migrations';

/**
 * Generic document submissions (spec submissions-and-nodes.md §A.6–A.9): accepted documents and the error / dead-letter stream,
 * both hypertables on the receive time. `event_id` is the log event's id (the projection's idempotency
 * key); for decoded submissions it is derived from the URI, so the log itself refuses duplicates.
 * `payload` is `json` (not jsonb): documents may carry \u0000, which jsonb rejects.
 */
export class Migration20261123103000Submissions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE submission_documents (
        event_id     uuid        NOT NULL,
        received_at  timestamptz NOT NULL,
        uri          text        NOT NULL,
        namespace    text        NOT NULL,
        doctype      text        NOT NULL,
        version      text        NOT NULL,
        document_id  text        NOT NULL,
        metadata     jsonb       NOT NULL,
        payload      json        NOT NULL,
        PRIMARY KEY (event_id, received_at)
      );`);
    this.addSql(`SELECT tp_make_hypertable('submission_documents', 'received_at', interval '7 days');`);
    this.addSql(`CREATE INDEX submission_documents_type ON submission_documents (namespace, doctype, version, received_at DESC);`);
    this.addSql(`CREATE INDEX submission_documents_docid ON submission_documents (document_id);`);

    this.addSql(`
      CREATE TABLE submission_errors (
        event_id       uuid        NOT NULL,
        received_at    timestamptz NOT NULL,
        uri            text        NOT NULL,
        namespace      text,
        doctype        text,
        version        text,
        document_id    text,
        error_type     text        NOT NULL,
        error_message  text        NOT NULL,
        payload_base64 text,
        metadata       jsonb       NOT NULL,
        PRIMARY KEY (event_id, received_at)
      );`);
    this.addSql(`SELECT tp_make_hypertable('submission_errors', 'received_at', interval '7 days');`);
    this.addSql(`CREATE INDEX submission_errors_type ON submission_errors (error_type, received_at DESC);`);
    this.addSql(`CREATE INDEX submission_errors_ns ON submission_errors (namespace, doctype, received_at DESC);`);
  }

  override async down(): Promise<void> {
    this.addSql(`DROP TABLE IF EXISTS submission_errors;`);
    this.addSql(`DROP TABLE IF EXISTS submission_documents;`);
  }
}
