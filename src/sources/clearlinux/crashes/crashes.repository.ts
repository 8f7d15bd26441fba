import { Injectable } from '@nestjs/common';
import { Database } from '../../../database/database';
import { CLR_CRASH_GUILTY_DAILY } from './crash-guilty-daily.rollup';
import type { Frame, FramePair } from './backtrace';
import { BACKTRACE_CLASSIFICATIONS, CRASH_CLASSIFICATIONS } from '../record/classification';
import type { GroupCount } from './group-diff';
import { GUILTY_NOTES_TABLE } from './guilties/guilty.projection';

const ROLLUP = CLR_CRASH_GUILTY_DAILY.name;
const UTC_TEXT = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')`;
/** Numeric builds by value (any length), then the others by text; both descending. */
const BUILD_ORDER = `CASE WHEN build ~ '^[0-9]+$' THEN build::numeric END DESC NULLS LAST, build DESC`;
const CRASH_COLUMNS = `record_id::text AS record_id, classification, machine_id, os_name, build,
  ${UTC_TEXT('ts_capture')} AS ts_capture, ${UTC_TEXT('ts_reception')} AS ts_reception,
  program, pid::text AS pid, signal, reason, frames, guilty_function, guilty_module, guilty_id`;

/** clearlinux.md §7.5: hidden guilties are left out of the top lists (the rollup has no id: matched by pair). */
const NOT_HIDDEN = `NOT EXISTS (SELECT 1 FROM ${GUILTY_NOTES_TABLE} n
  WHERE n.hidden AND n.function = ${ROLLUP}.guilty_function AND n.module = ${ROLLUP}.guilty_module)`;

export const CrashesSql = {
  /**
   * Spec clearlinux.md §8.4 top guilties, on the daily rollup: backtrace classes, a guilty frame that is not hidden,
   * the window [from, to) of reception days applied FIRST (the upstream bug applied it after picking
   * builds), then the 8 highest builds of ≥ 2 digits present (or exactly the requested build), then the
   * 10 guilties with the most crashes over those builds. One row per (guilty, build) of the top 10,
   * with the guilty's comment.
   */
  topGuilty: `
    WITH w AS (
      SELECT build, guilty_function AS function, guilty_module AS module, sum(crashes)::int AS crashes
      FROM ${ROLLUP}
      WHERE day >= $1::timestamptz AND day < $2::timestamptz
        AND classification = ANY($3::text[]) AND guilty_function IS NOT NULL
        AND CASE WHEN $4::text IS NULL THEN build ~ '^[0-9][0-9]+$' ELSE build = $4::text END
        AND ${NOT_HIDDEN}
      GROUP BY 1, 2, 3),
    b AS (SELECT build FROM (SELECT DISTINCT build FROM w) d ORDER BY ${BUILD_ORDER} LIMIT 8),
    t AS (
      SELECT function, module, sum(crashes)::int AS total FROM w JOIN b USING (build)
      GROUP BY 1, 2 ORDER BY total DESC, function, module LIMIT 10)
    SELECT t.function, t.module, t.total, w.build, w.crashes, n.comment
    FROM t JOIN w USING (function, module) JOIN b USING (build)
    LEFT JOIN ${GUILTY_NOTES_TABLE} n ON n.function = t.function AND n.module = t.module
    ORDER BY t.total DESC, t.function, t.module, w.build`,
  /**
   * clearlinux.md §8.4 `/crashes/<build>`: the 10 guilties (not hidden) with the most backtrace crashes of one build,
   * or of every build when `$1` is null ("overall"), all time; with their comments.
   */
  topGuiltyOfBuild: `
    SELECT t.function, t.module, t.crashes, n.comment FROM (
      SELECT guilty_function AS function, guilty_module AS module, sum(crashes)::int AS crashes
      FROM ${ROLLUP}
      WHERE classification = ANY($2::text[]) AND guilty_function IS NOT NULL
        AND ($1::text IS NULL OR build = $1::text) AND ${NOT_HIDDEN}
      GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 10) t
    LEFT JOIN ${GUILTY_NOTES_TABLE} n ON n.function = t.function AND n.module = t.module
    ORDER BY t.crashes DESC, t.function, t.module`,
  /**
   * clearlinux.md §8.4 guilty detail: crashes of one guilty per (build, machine id), clear-linux-os records of builds
   * with at least two digits, build descending then count descending, all time.
   */
  guiltyByMachine: `
    SELECT build, machine_id, count(*)::int AS crashes FROM crashes
    WHERE guilty_function = $1 AND guilty_module = $2 AND classification = ANY($3::text[])
      AND os_name = 'clear-linux-os' AND build ~ '^[0-9][0-9]+$'
    GROUP BY 1, 2 ORDER BY build::numeric DESC, 3 DESC, 2`,
  /** clearlinux.md §8.4 pie: crashes per crash classification, all time (classes without crashes are absent). */
  byClassification: `
    SELECT classification, sum(crashes)::int AS crashes FROM ${ROLLUP}
    WHERE classification = ANY($1::text[])
    GROUP BY 1 ORDER BY 2 DESC, 1`,
  /** clearlinux.md §8.4 column: backtrace crashes per build, numeric builds only, the 10 highest (shown highest first). */
  byBuild: `
    SELECT build, sum(crashes)::int AS crashes FROM ${ROLLUP}
    WHERE classification = ANY($1::text[]) AND build ~ '^[0-9]+$'
    GROUP BY 1 ORDER BY build::numeric DESC LIMIT 10`,
  /** Crashes of one guilty frame, newest first (clearlinux.md §8.4 "guilty backtraces": at most 50 shown); `$6` machine id or null. */
  byGuilty: `
    SELECT ${CRASH_COLUMNS} FROM crashes
    WHERE guilty_function = $1 AND guilty_module = $2
      AND ts_reception >= $3::timestamptz AND ts_reception < $4::timestamptz
      AND ($5::text IS NULL OR build = $5::text) AND ($6::text IS NULL OR machine_id = $6::text)
    ORDER BY crashes.ts_reception DESC, crashes.record_id DESC
    LIMIT $7::int`,
  countByGuilty: `
    SELECT count(*)::int AS n FROM crashes
    WHERE guilty_function = $1 AND guilty_module = $2
      AND ts_reception >= $3::timestamptz AND ts_reception < $4::timestamptz
      AND ($5::text IS NULL OR build = $5::text) AND ($6::text IS NULL OR machine_id = $6::text)`,
  byRecordId: `SELECT ${CRASH_COLUMNS} FROM crashes WHERE record_id = $1::bigint ORDER BY crashes.ts_reception DESC LIMIT 1`,
  builds: `SELECT build FROM (SELECT DISTINCT build FROM crashes WHERE classification = ANY($1::text[])) d ORDER BY ${BUILD_ORDER}`,
  /** Current size of every guilty group (null = backtrace crashes without frames). */
  groupCounts: `
    SELECT guilty_function AS function, guilty_module AS module, count(*)::int AS crashes
    FROM crashes WHERE classification = ANY($1::text[])
    GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`,
  /** After a purge of `records` (clearlinux.md §10: derived projections must drop purged records too). */
  deleteWithoutRecord: `
    WITH d AS (
      DELETE FROM crashes c
      WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.log_event_id = c.log_event_id AND r.ts_reception = c.ts_reception)
      RETURNING 1)
    SELECT count(*)::int AS n FROM d`,
} as const;

export type TopGuiltyRow = Readonly<{ function: string; module: string; total: number; build: string; crashes: number; comment: string | null }>;
export type BuildGuiltyRow = Readonly<{ function: string; module: string; crashes: number; comment: string | null }>;
export type GuiltyMachineRow = Readonly<{ build: string; machine_id: string; crashes: number }>;
export type CrashRow = Readonly<{
  record_id: string;
  classification: string;
  machine_id: string;
  os_name: string;
  build: string;
  ts_capture: string;
  ts_reception: string;
  program: string | null;
  pid: string | null;
  signal: number | null;
  reason: string | null;
  frames: Frame[];
  guilty_function: string | null;
  guilty_module: string | null;
  guilty_id: string | null;
}>;
/** Reception window [from, to) as ISO instants (or ±infinity); `build` null = all builds. */
export type CrashWindow = Readonly<{ from: string; to: string; build: string | null }>;
/** The crash list's filters: a window, and optionally one machine (clearlinux.md §8.4 guilty backtraces). */
export type CrashListFilter = CrashWindow & Readonly<{ machineId?: string | null }>;

const BACKTRACE = [...BACKTRACE_CLASSIFICATIONS];

@Injectable()
export class CrashesRepository {
  constructor(private readonly db: Database) {}

  topGuilty(w: CrashWindow): Promise<TopGuiltyRow[]> {
    return this.db.query<TopGuiltyRow>(CrashesSql.topGuilty, [w.from, w.to, BACKTRACE, w.build]);
  }

  byClassification(): Promise<{ classification: string; crashes: number }[]> {
    return this.db.query(CrashesSql.byClassification, [[...CRASH_CLASSIFICATIONS]]);
  }

  byBuild(): Promise<{ build: string; crashes: number }[]> {
    return this.db.query(CrashesSql.byBuild, [BACKTRACE]);
  }

  topGuiltyOfBuild(build: string | null): Promise<BuildGuiltyRow[]> {
    return this.db.query<BuildGuiltyRow>(CrashesSql.topGuiltyOfBuild, [build, BACKTRACE]);
  }

  guiltyByMachine(guilty: FramePair): Promise<GuiltyMachineRow[]> {
    return this.db.query<GuiltyMachineRow>(CrashesSql.guiltyByMachine, [guilty.function, guilty.module, BACKTRACE]);
  }

  byGuilty(guilty: FramePair, f: CrashListFilter, limit: number): Promise<CrashRow[]> {
    return this.db.query<CrashRow>(CrashesSql.byGuilty, [guilty.function, guilty.module, f.from, f.to, f.build, f.machineId ?? null, limit]);
  }

  async countByGuilty(guilty: FramePair, f: CrashListFilter): Promise<number> {
    const [{ n }] = await this.db.query<{ n: number }>(CrashesSql.countByGuilty, [guilty.function, guilty.module, f.from, f.to, f.build, f.machineId ?? null]);
    return n;
  }

  async byRecordId(recordId: string): Promise<CrashRow | undefined> {
    const [row] = await this.db.query<CrashRow>(CrashesSql.byRecordId, [recordId]);
    return row;
  }

  async builds(): Promise<string[]> {
    return (await this.db.query<{ build: string }>(CrashesSql.builds, [BACKTRACE])).map((r) => r.build);
  }

  async deleteWithoutRecord(): Promise<number> {
    const [{ n }] = await this.db.query<{ n: number }>(CrashesSql.deleteWithoutRecord);
    return n;
  }

  groupCounts(): Promise<GroupCount[]> {
    return this.db.query<GroupCount>(CrashesSql.groupCounts, [BACKTRACE]);
  }
}
