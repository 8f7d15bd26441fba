import { Migration } from '@mikro-orm/migrations';

/**
 * The platform spine: TimescaleDB when the server has it, a `time_bucket` stand-in when it does not (so
 * rollup SQL is the same on plain PostgreSQL), a hypertable helper later migrations call, the
 * Postgres event log, projector checkpoints, append claims (dedupe for logs that cannot dedupe
 * themselves) and the record of installed rollups.
 */
export class Migration20261123090000PlatformSpine extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
          CREATE EXTENSION IF NOT EXISTS timescaledb;
        END IF;
      END $$;`);

    // Same bucketing as TimescaleDB's time_bucket for sub-month widths (origin Monday 2000-01-03).
    this.addSql(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
          CREATE OR REPLACE FUNCTION time_bucket(bucket_width interval, ts timestamptz) RETURNS timestamptz
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            AS $f$ SELECT date_bin(bucket_width, ts, timestamptz '2000-01-03 00:00:00+00') $f$;
        END IF;
      END $$;`);

    this.addSql(`
      CREATE OR REPLACE FUNCTION tp_make_hypertable(tbl text, time_column text, chunk interval DEFAULT interval '7 days')
        RETURNS boolean LANGUAGE plpgsql AS $f$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
          PERFORM create_hypertable(tbl::regclass, time_column::name,
                                    chunk_time_interval => chunk, if_not_exists => true, migrate_data => true);
          RETURN true;
        END IF;
        RETURN false;
      END $f$;`);

    // json, not jsonb: node messages may carry \\u0000, which jsonb rejects; the log is read whole anyway.
    this.addSql(`
      CREATE TABLE event_log (
        position    bigserial   PRIMARY KEY,
        id          uuid        NOT NULL UNIQUE,
        stream      text        NOT NULL,
        type        text        NOT NULL,
        key         text,
        payload     json        NOT NULL,
        received_at timestamptz NOT NULL,
        appended_at timestamptz NOT NULL DEFAULT now()
      );`);
    this.addSql(`CREATE INDEX event_log_type_position ON event_log (type, position);`);

    this.addSql(`
      CREATE TABLE projector_checkpoints (
        projector  text        NOT NULL,
        partition  text        NOT NULL,
        position   bigint      NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projector, partition)
      );`);

    this.addSql(`
      CREATE TABLE event_claims (
        id         uuid        PRIMARY KEY,
        claimed_at timestamptz NOT NULL DEFAULT now()
      );`);
    this.addSql(`CREATE INDEX event_claims_claimed_at ON event_claims (claimed_at);`);

    this.addSql(`
      CREATE TABLE rollup_definitions (
        name            text        PRIMARY KEY,
        definition_hash text        NOT NULL,
        mode            text        NOT NULL,
        installed_at    timestamptz NOT NULL DEFAULT now()
      );`);
  }
}
