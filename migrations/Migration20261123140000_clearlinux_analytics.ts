import { Migration } from '@mikro-orm/migrations';

/**
 * Clear Linux analytics projections (spec clearlinux.md §8.5–§8.8), both hypertables on **capture** time, the clock the
 * MCE, Thermal and Population views use (`records` is partitioned on reception time, and a continuous
 * aggregate can only bucket its hypertable's own time column). Written by the `clearlinux-analytics`
 * projector; the rollups over them are installed at start-up (src/sources/clearlinux/analytics).
 */
export class Migration20261123140000ClearlinuxAnalytics extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE clr_mce_events (
        record_id    bigint      NOT NULL,
        log_event_id uuid        NOT NULL,
        ts_capture   timestamptz NOT NULL,
        ts_reception timestamptz NOT NULL,
        machine_id   text        NOT NULL,
        build        text        NOT NULL,
        kind         text        NOT NULL CHECK (kind IN ('corrected', 'SRAO', 'SRAR', 'UCNA', 'thermal')),
        cpu          integer,
        bank         integer,
        socket_id    integer,
        apic_id      integer,
        mci_status   text,
        mcg_status   text,
        error_text   text,
        mca          text,
        transaction  text,
        cpu_vendor   text,
        cpu_family   integer,
        cpu_model    integer,
        UNIQUE (log_event_id, ts_capture)
      );`);
    this.addSql(`SELECT tp_make_hypertable('clr_mce_events', 'ts_capture', interval '30 days');`);
    this.addSql(`CREATE INDEX clr_mce_events_kind_ts ON clr_mce_events (kind, ts_capture);`);
    this.addSql(`
      CREATE TABLE clr_heartbeats (
        log_event_id uuid        NOT NULL,
        ts_capture   timestamptz NOT NULL,
        machine_id   text        NOT NULL,
        build        text        NOT NULL,
        external     boolean     NOT NULL,
        UNIQUE (log_event_id, ts_capture)
      );`);
    this.addSql(`SELECT tp_make_hypertable('clr_heartbeats', 'ts_capture', interval '7 days');`);
  }
}
