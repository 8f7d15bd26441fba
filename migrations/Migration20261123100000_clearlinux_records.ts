import { Migration } from '@mikro-orm/migrations';

/**
 * Clear Linux records (spec clearlinux.md §6.1): one row per accepted record, a hypertable on reception time.
 * `id` comes from `clr_record_id_seq`, allocated by the ingest handler before the append (so the
 * 201 answer can carry it in every log mode) and carried in the event, so a replay reproduces it.
 * `event_id` is the client's Event-Id header (text, `N/A` before v4); `log_event_id` is the uuid of
 * the `clearlinux.record.accepted` event (the projection's idempotency key).
 */
export class Migration20261123100000ClearlinuxRecords extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE SEQUENCE clr_record_id_seq AS bigint;`);
    this.addSql(`
      CREATE TABLE records (
        id                     bigint      NOT NULL,
        record_key             text        NOT NULL,
        log_event_id           uuid        NOT NULL,
        classification         text        NOT NULL,
        domain                 text        NOT NULL,
        probe                  text        NOT NULL,
        rest                   text        NOT NULL,
        severity               smallint    NOT NULL,
        machine_id             text        NOT NULL,
        machine_type           text        NOT NULL,
        platform_vendor        text,
        platform_product       text,
        platform_version       text,
        arch                   text        NOT NULL,
        kernel_version         text        NOT NULL,
        os_name                text        NOT NULL,
        build                  text        NOT NULL,
        record_format_version  integer     NOT NULL,
        payload_format_version integer     NOT NULL,
        board_name             text        NOT NULL,
        cpu_model              text        NOT NULL,
        bios_version           text        NOT NULL,
        event_id               text        NOT NULL,
        external               boolean     NOT NULL,
        ts_capture             timestamptz NOT NULL,
        ts_reception           timestamptz NOT NULL,
        payload                text        NOT NULL,
        guilty_id              bigint,
        processed              boolean              DEFAULT false,
        UNIQUE (log_event_id, ts_reception)
      );`);
    this.addSql(`SELECT tp_make_hypertable('records', 'ts_reception', interval '7 days');`);
    this.addSql(`CREATE INDEX records_ts_reception ON records (ts_reception);`);
    this.addSql(`CREATE INDEX records_classification_ts ON records (classification, ts_reception);`);
    this.addSql(`CREATE INDEX records_machine_id ON records (machine_id);`);
    this.addSql(`CREATE INDEX records_build ON records (build);`);
    this.addSql(`CREATE INDEX records_severity ON records (severity);`);
    this.addSql(`CREATE INDEX records_id ON records (id);`);
    this.addSql(`CREATE INDEX records_log_event_id ON records (log_event_id);`);
  }
}
