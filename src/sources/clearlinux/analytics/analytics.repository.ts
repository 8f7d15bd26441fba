import { Injectable } from '@nestjs/common';
import { Database } from '../../../database/database';
import { CLR_ROLLUPS } from './analytics.rollups';
import { compareBuilds, INTEGER_BUILD } from './bucketing';

/** A half-open time range [from, to) as ISO timestamps; null = open. */
export type TimeRange = Readonly<{ from: string | null; to: string | null }>;
export type Scope = TimeRange & Readonly<{ build: string | null }>;

export type NamedCount = { name: string; records: number };
export type BuildCount = { build: string; records: number };

const R = CLR_ROLLUPS;
/** `$1` from, `$2` to, `$3` build — every rollup query takes the same three. */
const SCOPE = `($1::timestamptz IS NULL OR bucket >= $1::timestamptz) AND ($2::timestamptz IS NULL OR bucket < $2::timestamptz)
               AND ($3::text IS NULL OR build = $3::text)`;

/** Reads of the Clear Linux rollups only (never the raw tables): the SQL every view and API answer uses. */
export const AnalyticsSql = {
  buildTotals: `SELECT build, sum(records)::float8 AS records FROM ${R.builds.name} WHERE ${SCOPE} GROUP BY build`,
  buildSeries: `SELECT to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, build, sum(records)::float8 AS records
                FROM ${R.builds.name} WHERE ${SCOPE} GROUP BY 1, 2 ORDER BY 1, 2`,
  classifications: `SELECT classification AS name, sum(records)::float8 AS records FROM ${R.classifications.name} WHERE ${SCOPE} GROUP BY 1`,
  platforms: `SELECT platform AS name, sum(records)::float8 AS records FROM ${R.platforms.name} WHERE ${SCOPE} GROUP BY 1`,
  /** `$4`: true = thermal only, false = the four MCE classes. */
  mceDaily: `SELECT to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, kind, build, sum(events)::float8 AS records
             FROM ${R.mce.name} WHERE ${SCOPE} AND ((kind = 'thermal') = $4::boolean) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  /**
   * One page of machines by total MCE count with their per-build counts, and how many machines there are
   * (one scan of the rollup); `$4` limit, `$5` offset.
   */
  mceMachines: `
    WITH per AS (SELECT machine_id, build, sum(events) AS records FROM ${R.mce.name} WHERE ${SCOPE} AND kind <> 'thermal' GROUP BY 1, 2),
         top AS (SELECT machine_id, sum(records) AS total, count(*) OVER () AS machines FROM per GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $4::int OFFSET $5::int)
    SELECT t.machine_id, t.total::float8 AS total, t.machines::float8 AS machines, p.build, p.records::float8 AS records
    FROM top t JOIN per p USING (machine_id) ORDER BY 2 DESC, 1, 4`,
  mceMachineCount: `SELECT count(DISTINCT machine_id)::float8 AS n FROM ${R.mce.name} WHERE ${SCOPE} AND kind <> 'thermal'`,
  /**
   * Exact distinct machine ids per build and source for the population windows, in one pass: a machine id
   * has a heartbeat in [start, now] exactly when its last bucket is ≥ start, so counting ids by their
   * latest bucket equals count(DISTINCT) per window (one hash aggregate instead of five sorts).
   * `$4` = the bounded windows' starts (timestamptz[]); `machines[1]` is all time.
   */
  population: `
    SELECT build, external, ARRAY[
      count(*),
      count(*) FILTER (WHERE last >= ($4::timestamptz[])[1]),
      count(*) FILTER (WHERE last >= ($4::timestamptz[])[2]),
      count(*) FILTER (WHERE last >= ($4::timestamptz[])[3]),
      count(*) FILTER (WHERE last >= ($4::timestamptz[])[4])]::float8[] AS machines
    FROM (SELECT build, external, machine_id, max(bucket) AS last FROM ${R.population.name} WHERE ${SCOPE} GROUP BY 1, 2, 3) ids
    GROUP BY 1, 2`,
  /** Builds for the filter drop-down, integer builds first by value descending (newest first), then the others. */
  buildChoices: `SELECT DISTINCT build FROM ${R.builds.name}`,
} as const;

const READ_WORK_MEM = '64MB';

@Injectable()
export class AnalyticsRepository {
  constructor(private readonly db: Database) {}

  private params(s: Scope): unknown[] {
    return [s.from, s.to, s.build];
  }

  /** Grouping over rollups sorts/hashes many rows: give it memory instead of spilling to disk (slow in PGlite). */
  private read<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL work_mem = '${READ_WORK_MEM}'`);
      return tx.query<T>(sql, params);
    });
  }

  async buildChoices(): Promise<string[]> {
    const rows = await this.db.query<{ build: string }>(AnalyticsSql.buildChoices);
    const builds = rows.map((r) => r.build).sort(compareBuilds);
    const integer = builds.filter((b) => INTEGER_BUILD.test(b)).reverse();
    return [...integer, ...builds.filter((b) => !INTEGER_BUILD.test(b))];
  }

  buildTotals(s: Scope): Promise<BuildCount[]> {
    return this.read<BuildCount>(AnalyticsSql.buildTotals, this.params(s));
  }

  buildSeries(s: Scope): Promise<{ day: string; build: string; records: number }[]> {
    return this.read(AnalyticsSql.buildSeries, this.params(s));
  }

  classifications(s: Scope): Promise<NamedCount[]> {
    return this.read<NamedCount>(AnalyticsSql.classifications, this.params(s));
  }

  platforms(s: Scope): Promise<NamedCount[]> {
    return this.read<NamedCount>(AnalyticsSql.platforms, this.params(s));
  }

  mceDaily(s: Scope, thermal: boolean): Promise<{ day: string; kind: string; build: string; records: number }[]> {
    return this.read(AnalyticsSql.mceDaily, [...this.params(s), thermal]);
  }

  async mceMachines(s: Scope, limit: number, offset: number) {
    const rows = await this.read<{ machine_id: string; total: number; machines: number; build: string; records: number }>(AnalyticsSql.mceMachines, [
      ...this.params(s),
      limit,
      offset,
    ]);
    if (rows.length > 0 || offset === 0) return { rows, machines: rows[0]?.machines ?? 0 };
    const [{ n }] = await this.read<{ n: number }>(AnalyticsSql.mceMachineCount, this.params(s)); // a page past the end
    return { rows, machines: n };
  }

  /** `starts`: the four bounded windows' starts (the first column is all time). */
  population(s: Scope, starts: readonly string[]): Promise<{ build: string; external: boolean; machines: number[] }[]> {
    return this.read(AnalyticsSql.population, [...this.params(s), starts]);
  }
}
