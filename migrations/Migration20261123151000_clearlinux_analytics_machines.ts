import { Migration } from '@mikro-orm/migrations';

/**
 * Per-machine projections for the MCE machine table and the Population view (spec clearlinux.md §8.5, §8.8), written by
 * the `clearlinux-analytics` projector next to `clr_mce_events` / `clr_heartbeats`. Rollups bucketed by
 * time still hold about one row per rotating machine id (ids change every 3 days), so those views used to
 * scan nearly as much as the raw tables:
 * - `clr_population_machines`: one row per (build, source, machine id) with its latest capture time, so
 *   "distinct machine ids captured after T" is a count over an index range.
 * - `clr_mce_machine_builds` / `clr_mce_machine_totals`: machine-check counts per UTC capture year, machine
 *   (and build), indexed by count, so a page of the machine table sorted by total is an index scan.
 * Both are filled here from the existing event tables (the projector's checkpoint is already past them).
 * The hourly population rollup they replace is dropped.
 */
export class Migration20261123151000ClearlinuxAnalyticsMachines extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE FUNCTION clr_utc_year(ts timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN extract(year FROM ts AT TIME ZONE 'UTC')::integer;`);
    this.addSql(`
      CREATE TABLE clr_population_machines (
        build        text        NOT NULL,
        external     boolean     NOT NULL,
        machine_id   text        NOT NULL,
        last_capture timestamptz NOT NULL,
        PRIMARY KEY (build, external, machine_id)
      );`);
    this.addSql(`CREATE INDEX clr_population_machines_last ON clr_population_machines (last_capture);`);
    this.addSql(`
      CREATE TABLE clr_mce_machine_builds (
        year       integer NOT NULL,
        machine_id text    NOT NULL,
        build      text    NOT NULL,
        events     integer NOT NULL,
        PRIMARY KEY (year, machine_id, build)
      );`);
    this.addSql(`CREATE INDEX clr_mce_machine_builds_rank ON clr_mce_machine_builds (year, build, events DESC, machine_id);`);
    this.addSql(`
      CREATE TABLE clr_mce_machine_totals (
        year       integer NOT NULL,
        machine_id text    NOT NULL,
        events     integer NOT NULL,
        PRIMARY KEY (year, machine_id)
      );`);
    this.addSql(`CREATE INDEX clr_mce_machine_totals_rank ON clr_mce_machine_totals (year, events DESC, machine_id);`);

    this.addSql(`
      INSERT INTO clr_population_machines (build, external, machine_id, last_capture)
      SELECT build, external, machine_id, max(ts_capture) FROM clr_heartbeats GROUP BY 1, 2, 3;`);
    this.addSql(`
      INSERT INTO clr_mce_machine_builds (year, machine_id, build, events)
      SELECT clr_utc_year(ts_capture), machine_id, build, count(*) FROM clr_mce_events WHERE kind <> 'thermal' GROUP BY 1, 2, 3;`);
    this.addSql(`
      INSERT INTO clr_mce_machine_totals (year, machine_id, events)
      SELECT year, machine_id, sum(events) FROM clr_mce_machine_builds GROUP BY 1, 2;`);

    // The rollup this replaces: a continuous aggregate, or a plain view where there are none.
    this.addSql(`
      DO $$
      BEGIN
        IF to_regclass('timescaledb_information.continuous_aggregates') IS NOT NULL THEN
          IF EXISTS (SELECT 1 FROM timescaledb_information.continuous_aggregates WHERE view_name = 'clr_population_hourly') THEN
            DROP MATERIALIZED VIEW clr_population_hourly;
          END IF;
        END IF;
        DROP VIEW IF EXISTS clr_population_hourly;
      END $$;`);
    this.addSql(`DELETE FROM rollup_definitions WHERE name = 'clr_population_hourly';`);
  }
}
