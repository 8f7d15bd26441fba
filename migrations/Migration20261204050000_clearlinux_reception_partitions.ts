import { Migration } from '@mikro-orm/migrations';

/**
 * `clr_mce_events` and `clr_heartbeats` were hypertables on the capture time the client sends: one anonymous
 * client with capture times a year apart made a chunk per request, without bound (the collector must accept
 * any 12-digit Creation-Timestamp, clearlinux.md §3.1). They are now partitioned on reception time (the server's
 * clock, so chunks follow the reception window); the capture time stays a column, indexed for the views that
 * filter on it.
 *
 * The MCE/thermal daily rollup bucketed capture days, which a continuous aggregate can only do over its
 * hypertable's own time column. It becomes a counter table the `clearlinux-analytics` projector keeps (raised
 * only when the event row is new, like the per-machine counts), the same in every mode; the rollup is dropped
 * in whatever form it was installed. Everything is refilled here from the existing rows.
 */
export class Migration20261204050000ClearlinuxReceptionPartitions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      DO $$
      BEGIN
        IF to_regclass('timescaledb_information.continuous_aggregates') IS NOT NULL THEN
          IF EXISTS (SELECT 1 FROM timescaledb_information.continuous_aggregates WHERE view_name = 'clr_mce_daily') THEN
            DROP MATERIALIZED VIEW clr_mce_daily;
          END IF;
        END IF;
        DROP VIEW IF EXISTS clr_mce_daily;
      END $$;`);
    this.addSql(`DELETE FROM rollup_definitions WHERE name = 'clr_mce_daily';`);

    this.addSql(`ALTER TABLE clr_mce_events RENAME TO clr_mce_events_by_capture;`);
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
        UNIQUE (log_event_id, ts_reception)
      );`);
    this.addSql(`SELECT tp_make_hypertable('clr_mce_events', 'ts_reception', interval '7 days');`);
    this.addSql(`INSERT INTO clr_mce_events SELECT * FROM clr_mce_events_by_capture;`);
    this.addSql(`DROP TABLE clr_mce_events_by_capture;`);
    this.addSql(`CREATE INDEX clr_mce_events_kind_ts ON clr_mce_events (kind, ts_capture);`);

    // A heartbeat's reception time is its record's; DEFAULT now() is the same clock for rows written by hand.
    this.addSql(`ALTER TABLE clr_heartbeats RENAME TO clr_heartbeats_by_capture;`);
    this.addSql(`
      CREATE TABLE clr_heartbeats (
        log_event_id uuid        NOT NULL,
        ts_capture   timestamptz NOT NULL,
        ts_reception timestamptz NOT NULL DEFAULT now(),
        machine_id   text        NOT NULL,
        build        text        NOT NULL,
        external     boolean     NOT NULL,
        UNIQUE (log_event_id, ts_reception)
      );`);
    this.addSql(`SELECT tp_make_hypertable('clr_heartbeats', 'ts_reception', interval '7 days');`);
    this.addSql(`
      INSERT INTO clr_heartbeats (log_event_id, ts_capture, ts_reception, machine_id, build, external)
      SELECT h.log_event_id, h.ts_capture, coalesce(r.ts_reception, h.ts_capture), h.machine_id, h.build, h.external
      FROM clr_heartbeats_by_capture h
      LEFT JOIN LATERAL (SELECT min(ts_reception) AS ts_reception FROM records WHERE log_event_id = h.log_event_id) r ON true;`);
    this.addSql(`DROP TABLE clr_heartbeats_by_capture;`);
    this.addSql(`CREATE INDEX clr_heartbeats_capture ON clr_heartbeats (ts_capture);`);

    this.addSql(`
      CREATE TABLE clr_mce_daily (
        bucket timestamptz NOT NULL,
        build  text        NOT NULL,
        kind   text        NOT NULL,
        events bigint      NOT NULL,
        PRIMARY KEY (bucket, build, kind)
      );`);
    this.addSql(`
      INSERT INTO clr_mce_daily (bucket, build, kind, events)
      SELECT time_bucket(interval '1 day', ts_capture), build, kind, count(*) FROM clr_mce_events GROUP BY 1, 2, 3;`);
  }
}
