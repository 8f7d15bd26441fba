import { Injectable } from '@nestjs/common';
import { Database } from '../../../database/database';
import { HEARTBEATS_TABLE, MCE_DAILY_TABLE, MCE_EVENTS_TABLE, MCE_MACHINE_BUILDS_TABLE, MCE_MACHINE_TOTALS_TABLE, POPULATION_MACHINES_TABLE, POPULATION_TOTALS_TABLE } from './analytics.projection';
import { CLR_ROLLUPS } from './analytics.rollups';
import { compareBuilds, INTEGER_BUILD } from './bucketing';
import { MCE_KINDS } from './mcelog';

/** A half-open time range [from, to) as ISO timestamps; null = open. */
export type TimeRange = Readonly<{ from: string | null; to: string | null }>;
export type Scope = TimeRange & Readonly<{ build: string | null }>;

export type NamedCount = { name: string; records: number };
export type BuildCount = { build: string; records: number };
export type MceMachineRow = { machine_id: string; total: number; build: string; records: number };
/** Distinct machines behind each group of a view (the k-anonymity floor, common/k-anonymity.ts). */
export type MachineCounts = Map<string, number>;
/** The MCE view's groups: classes (by kind), builds, and (%U week, kind) cells keyed `<week>|<kind>`. */
export type MceMachineCounts = Readonly<{ kinds: MachineCounts; builds: MachineCounts; weekly: MachineCounts }>;

const R = CLR_ROLLUPS;
/** `$1` from, `$2` to, `$3` build — every windowed query takes the same three; `column` is its time. */
const scope = (column: string) => `($1::timestamptz IS NULL OR ${column} >= $1::timestamptz) AND ($2::timestamptz IS NULL OR ${column} < $2::timestamptz)
               AND ($3::text IS NULL OR build = $3::text)`;
const SCOPE = scope('bucket');
const MACHINE_CHECK_KINDS = `kind IN (${MCE_KINDS.map((k) => `'${k}'`).join(', ')})`;

/**
 * Machine ids (one row each, with its latest capture) counted in each bounded population window: an id
 * was captured after T exactly when its latest capture is after T. `starts` = the parameter holding the
 * windows' (exclusive) starts, a timestamptz[].
 */
const boundedCounts = (starts: string) => [1, 2, 3, 4].map((i) => `count(*) FILTER (WHERE last_capture > (${starts}::timestamptz[])[${i}])`).join(', ');

/**
 * Exact distinct machine ids per build and source for the population windows, in one pass over one row
 * per machine id. `ids` yields (build, external, machine_id, last_capture); `$4` = the bounded windows'
 * starts; `machines[1]` is the whole filter window.
 */
const populationOf = (ids: string) => `
    SELECT build, external, ARRAY[count(*), ${boundedCounts('$4')}]::float8[] AS machines
    FROM ${ids} ids
    GROUP BY 1, 2`;

/** `d`: a capture day; its Sunday-based week of year as `YYYY-Unn` (strftime `%U`, as bucketing.ts's sundayWeekOfYear). */
const sundayWeek = (d: string) => `to_char(${d}, 'YYYY') || '-U' || lpad(((extract(doy FROM ${d})::int - 1 + 7 - extract(dow FROM ${d})::int) / 7)::text, 2, '0')`;
const MCE_DAY = `(ts_capture AT TIME ZONE 'UTC')::date`;

/** The SQL every view and API answer uses: rollups, and the per-machine projections (`records` only for the build list). */
export const AnalyticsSql = {
  buildTotals: `SELECT build, sum(records)::float8 AS records FROM ${R.builds.name} WHERE ${SCOPE} GROUP BY build`,
  buildSeries: `SELECT to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, build, sum(records)::float8 AS records
                FROM ${R.builds.name} WHERE ${SCOPE} GROUP BY 1, 2 ORDER BY 1, 2`,
  classifications: `SELECT classification AS name, sum(records)::float8 AS records FROM ${R.classifications.name} WHERE ${SCOPE} GROUP BY 1`,
  platforms: `SELECT platform AS name, sum(records)::float8 AS records FROM ${R.platforms.name} WHERE ${SCOPE} GROUP BY 1`,
  /** `$4`: true = thermal only, false = the four MCE classes. */
  mceDaily: `SELECT to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, kind, build, sum(events)::float8 AS records
             FROM ${MCE_DAILY_TABLE} WHERE ${SCOPE} AND ((kind = 'thermal') = $4::boolean) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  /** Distinct machines per group, for the k-anonymity floor: over the table, as the rollups hold no machine ids. */
  buildMachines: `SELECT build AS key, count(DISTINCT machine_id)::float8 AS machines FROM records WHERE ${scope('ts_reception')} GROUP BY 1`,
  classificationMachines: `SELECT classification AS key, count(DISTINCT machine_id)::float8 AS machines FROM records WHERE ${scope('ts_reception')} GROUP BY 1`,
  platformMachines: `SELECT machine_type AS key, count(DISTINCT machine_id)::float8 AS machines FROM records WHERE ${scope('ts_reception')} GROUP BY 1`,
  /** `g`: 1 = per kind, 2 = per build, 3 = per (week, kind). */
  mceGroupMachines: `
    SELECT CASE WHEN GROUPING(build) = 0 THEN 2 WHEN GROUPING(week) = 0 THEN 3 ELSE 1 END AS g, kind, build, week, count(DISTINCT machine_id)::float8 AS machines
    FROM (SELECT kind, build, machine_id, ${sundayWeek(MCE_DAY)} AS week FROM ${MCE_EVENTS_TABLE} WHERE ${scope('ts_capture')} AND ${MACHINE_CHECK_KINDS}) e
    GROUP BY GROUPING SETS ((kind), (build), (week, kind))`,
  /** Per ISO week (its Monday) of thermal events. */
  thermalWeekMachines: `
    SELECT to_char(date_trunc('week', ts_capture AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS key, count(DISTINCT machine_id)::float8 AS machines
    FROM ${MCE_EVENTS_TABLE} WHERE ${scope('ts_capture')} AND kind = 'thermal' GROUP BY 1`,
  /** Whether machine checks were captured after UTC year `$1` (client clocks can be ahead). */
  mceLaterYears: `SELECT EXISTS (SELECT 1 FROM ${MCE_MACHINE_TOTALS_TABLE} WHERE year > $1::int) AS later`,
  /** One page of machines of UTC capture year `$1` by total, with their per-build counts; `$2` limit, `$3` offset. */
  mceYearMachines: `
    WITH top AS (SELECT machine_id, events FROM ${MCE_MACHINE_TOTALS_TABLE} WHERE year = $1::int ORDER BY events DESC, machine_id LIMIT $2::int OFFSET $3::int)
    SELECT t.machine_id, t.events::float8 AS total, b.build, b.events::float8 AS records
    FROM top t JOIN ${MCE_MACHINE_BUILDS_TABLE} b ON b.year = $1::int AND b.machine_id = t.machine_id
    ORDER BY 2 DESC, 1, 3`,
  mceYearMachineCount: `SELECT count(*)::float8 AS n FROM ${MCE_MACHINE_TOTALS_TABLE} WHERE year = $1::int`,
  /** The same restricted to build `$4`. */
  mceYearBuildMachines: `
    SELECT machine_id, events::float8 AS total, build, events::float8 AS records FROM ${MCE_MACHINE_BUILDS_TABLE}
    WHERE year = $1::int AND build = $4::text ORDER BY events DESC, machine_id LIMIT $2::int OFFSET $3::int`,
  mceYearBuildMachineCount: `SELECT count(*)::float8 AS n FROM ${MCE_MACHINE_BUILDS_TABLE} WHERE year = $1::int AND build = $2::text`,
  /**
   * Any other window: one page of machines by total over the events themselves, and how many machines
   * there are (one scan); `$4` limit, `$5` offset.
   */
  mceWindowMachines: `
    WITH per AS (SELECT machine_id, build, count(*) AS records FROM ${MCE_EVENTS_TABLE} WHERE ${scope('ts_capture')} AND ${MACHINE_CHECK_KINDS} GROUP BY 1, 2),
         top AS (SELECT machine_id, sum(records) AS total, count(*) OVER () AS machines FROM per GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $4::int OFFSET $5::int)
    SELECT t.machine_id, t.total::float8 AS total, t.machines::float8 AS machines, p.build, p.records::float8 AS records
    FROM top t JOIN per p USING (machine_id) ORDER BY 2 DESC, 1, 4`,
  mceWindowMachineCount: `SELECT count(DISTINCT machine_id)::float8 AS n FROM ${MCE_EVENTS_TABLE} WHERE ${scope('ts_capture')} AND ${MACHINE_CHECK_KINDS}`,
  /** Windows open at the end (`$2` must be null): each machine id's latest capture, projected. */
  population: populationOf(`(SELECT * FROM ${POPULATION_MACHINES_TABLE} WHERE ${scope('last_capture')})`),
  /**
   * All time (no date filter): the whole window from the maintained totals, the bounded ones as one
   * range over the `last_capture` index from the earliest start. `$1` build or null, `$2` the bounded
   * windows' starts, earliest first. Every machine row has its totals row, so the join loses nothing.
   */
  populationAllTime: `
    WITH recent AS (
      SELECT build, external, ARRAY[${boundedCounts('$2')}]::float8[] AS machines
      FROM ${POPULATION_MACHINES_TABLE}
      WHERE last_capture > ($2::timestamptz[])[1] AND ($1::text IS NULL OR build = $1::text)
      GROUP BY 1, 2)
    SELECT t.build, t.external, ARRAY[t.machines::float8] || coalesce(r.machines, '{0, 0, 0, 0}'::float8[]) AS machines
    FROM ${POPULATION_TOTALS_TABLE} t LEFT JOIN recent r ON r.build = t.build AND r.external = t.external
    WHERE $1::text IS NULL OR t.build = $1::text`,
  /** Windows that end (`$2` set): each machine id's latest capture inside the window, from the heartbeats. */
  populationUntil: populationOf(
    `(SELECT build, external, machine_id, max(ts_capture) AS last_capture FROM ${HEARTBEATS_TABLE} WHERE ${scope('ts_capture')} GROUP BY 1, 2, 3)`,
  ),
  /**
   * Builds for the filter drop-down (sorted in JS). A skip scan of the `records_build` index, one probe per
   * build: DISTINCT over the builds rollup is a full scan of `records` where that rollup is a plain view
   * (measured ≈ 0.8 s of every page render at 1M records on PostgreSQL 15).
   */
  buildChoices: `
    WITH RECURSIVE b AS (
      SELECT min(build) AS build FROM records
      UNION ALL
      SELECT (SELECT min(build) FROM records WHERE build > b.build) FROM b WHERE b.build IS NOT NULL)
    SELECT build FROM b WHERE build IS NOT NULL`,
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

  private async machineCounts(sql: string, s: Scope): Promise<MachineCounts> {
    return new Map((await this.read<{ key: string; machines: number }>(sql, this.params(s))).map((r) => [r.key, r.machines]));
  }

  buildMachines(s: Scope): Promise<MachineCounts> {
    return this.machineCounts(AnalyticsSql.buildMachines, s);
  }

  classificationMachines(s: Scope): Promise<MachineCounts> {
    return this.machineCounts(AnalyticsSql.classificationMachines, s);
  }

  platformMachines(s: Scope): Promise<MachineCounts> {
    return this.machineCounts(AnalyticsSql.platformMachines, s);
  }

  thermalWeekMachines(s: Scope): Promise<MachineCounts> {
    return this.machineCounts(AnalyticsSql.thermalWeekMachines, s);
  }

  async mceGroupMachines(s: Scope): Promise<MceMachineCounts> {
    const out = { kinds: new Map<string, number>(), builds: new Map<string, number>(), weekly: new Map<string, number>() };
    for (const r of await this.read<{ g: number; kind: string; build: string; week: string; machines: number }>(AnalyticsSql.mceGroupMachines, this.params(s))) {
      if (r.g === 1) out.kinds.set(r.kind, r.machines);
      else if (r.g === 2) out.builds.set(r.build, r.machines);
      else out.weekly.set(`${r.week}|${r.kind}`, r.machines);
    }
    return out;
  }

  mceDaily(s: Scope, thermal: boolean): Promise<{ day: string; kind: string; build: string; records: number }[]> {
    return this.read(AnalyticsSql.mceDaily, [...this.params(s), thermal]);
  }

  /**
   * One page of the machine table. `year`: the scope is that whole UTC capture year onwards (the default
   * window), read from the per-machine counts unless checks were captured in later years.
   */
  async mceMachines(s: Scope, year: number | null, limit: number, offset: number): Promise<{ rows: MceMachineRow[]; machines: number }> {
    if (year !== null && !(await this.db.query<{ later: boolean }>(AnalyticsSql.mceLaterYears, [year]))[0].later) {
      if (s.build === null) {
        const rows = await this.read<MceMachineRow>(AnalyticsSql.mceYearMachines, [year, limit, offset]);
        const [{ n }] = await this.read<{ n: number }>(AnalyticsSql.mceYearMachineCount, [year]);
        return { rows, machines: n };
      }
      const rows = await this.read<MceMachineRow>(AnalyticsSql.mceYearBuildMachines, [year, limit, offset, s.build]);
      const [{ n }] = await this.read<{ n: number }>(AnalyticsSql.mceYearBuildMachineCount, [year, s.build]);
      return { rows, machines: n };
    }
    const rows = await this.read<MceMachineRow & { machines: number }>(AnalyticsSql.mceWindowMachines, [...this.params(s), limit, offset]);
    if (rows.length > 0 || offset === 0) return { rows, machines: rows[0]?.machines ?? 0 };
    const [{ n }] = await this.read<{ n: number }>(AnalyticsSql.mceWindowMachineCount, this.params(s)); // a page past the end
    return { rows, machines: n };
  }

  /** `starts`: the four bounded windows' (exclusive) starts, earliest first; the first column is the whole scope. */
  population(s: Scope, starts: readonly string[]): Promise<{ build: string; external: boolean; machines: number[] }[]> {
    if (s.from === null && s.to === null) return this.read(AnalyticsSql.populationAllTime, [s.build, starts]);
    return this.read(s.to === null ? AnalyticsSql.population : AnalyticsSql.populationUntil, [...this.params(s), starts]);
  }
}
