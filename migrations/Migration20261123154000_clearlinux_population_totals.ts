import { Migration } from '@mikro-orm/migrations';

/**
 * The Population view's "Overall" window (spec clearlinux.md §8.8) counted every row of `clr_population_machines`
 * (≈ 1.1 M at 10 M records: ~450 ms). `clr_population_totals` holds that count per (build, source),
 * kept equal to it by statement triggers on the machine table itself: +n for the rows a statement really
 * inserted (a redelivered or late heartbeat only moves `last_capture`, an UPDATE, so it counts nothing),
 * −n for the rows a purge deletes. Every writer (projector, purge, bench loads) is covered without each
 * having to remember it; a replay TRUNCATEs both tables (the projector owns both). Triggers on transition
 * tables cost one grouped statement per write statement, not per row.
 */
export class Migration20261123154000ClearlinuxPopulationTotals extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE clr_population_totals (
        build    text    NOT NULL,
        external boolean NOT NULL,
        machines bigint  NOT NULL,
        PRIMARY KEY (build, external)
      );`);
    // Ordered so that concurrent writers lock the few counter rows in the same order (no deadlock).
    this.addSql(`
      CREATE FUNCTION clr_population_totals_add() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        INSERT INTO clr_population_totals (build, external, machines)
        SELECT build, external, count(*) FROM clr_population_added GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (build, external) DO UPDATE SET machines = clr_population_totals.machines + EXCLUDED.machines;
        RETURN NULL;
      END $f$;`);
    this.addSql(`
      CREATE FUNCTION clr_population_totals_remove() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        WITH gone AS (SELECT build, external, count(*) AS n FROM clr_population_removed GROUP BY 1, 2 ORDER BY 1, 2)
        UPDATE clr_population_totals t SET machines = t.machines - gone.n FROM gone
        WHERE t.build = gone.build AND t.external = gone.external;
        DELETE FROM clr_population_totals WHERE machines <= 0;
        RETURN NULL;
      END $f$;`);
    this.addSql(`
      CREATE TRIGGER clr_population_totals_add AFTER INSERT ON clr_population_machines
        REFERENCING NEW TABLE AS clr_population_added FOR EACH STATEMENT EXECUTE FUNCTION clr_population_totals_add();`);
    this.addSql(`
      CREATE TRIGGER clr_population_totals_remove AFTER DELETE ON clr_population_machines
        REFERENCING OLD TABLE AS clr_population_removed FOR EACH STATEMENT EXECUTE FUNCTION clr_population_totals_remove();`);
    this.addSql(`
      INSERT INTO clr_population_totals (build, external, machines)
      SELECT build, external, count(*) FROM clr_population_machines GROUP BY 1, 2;`);
  }
}
