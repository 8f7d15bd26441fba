import { Injectable } from '@nestjs/common';
import { RollupInstaller } from '../../../database/rollup-installer';
import type { Queryable } from '../../../database/database';
import { PURGED_RECORDS } from '../records/records.repository';
import { HEARTBEATS_TABLE, MCE_DAILY_TABLE, MCE_EVENTS_TABLE, MCE_MACHINE_BUILDS_TABLE, MCE_MACHINE_TOTALS_TABLE, POPULATION_MACHINES_TABLE } from './analytics.projection';
import { CLR_ROLLUPS } from './analytics.rollups';

const PURGED_MACHINES = 'clr_purged_population';
/** A derived row goes with its record unless another copy of that record (re-accepted later) is kept. */
const OF_PURGED = (alias: string) => `${alias}.log_event_id = p.log_event_id AND ${alias}.ts_reception = p.ts_reception
        AND NOT EXISTS (SELECT 1 FROM records r WHERE r.log_event_id = ${alias}.log_event_id)`;

/** Epoch seconds of the first and last time a delete touched (null when it deleted nothing). */
type Span = Readonly<{ first: number | null; last: number | null }>;

export const AnalyticsPurgeSql = {
  receptionSpan: `SELECT extract(epoch FROM min(ts_reception))::float8 AS first, extract(epoch FROM max(ts_reception))::float8 AS last FROM ${PURGED_RECORDS}`,
  /** Machine checks and thermal events of purged records; their days' and machines' counts go down with them. */
  mceEvents: `
    WITH gone AS (
      DELETE FROM ${MCE_EVENTS_TABLE} e USING ${PURGED_RECORDS} p WHERE ${OF_PURGED('e')}
      RETURNING clr_utc_year(e.ts_capture) AS year, time_bucket(interval '1 day', e.ts_capture) AS day, e.machine_id, e.build, e.kind),
    days AS (
      UPDATE ${MCE_DAILY_TABLE} d SET events = d.events - g.n
      FROM (SELECT day, build, kind, count(*)::int AS n FROM gone GROUP BY 1, 2, 3) g
      WHERE d.bucket = g.day AND d.build = g.build AND d.kind = g.kind),
    per_build AS (SELECT year, machine_id, build, count(*)::int AS n FROM gone WHERE kind <> 'thermal' GROUP BY 1, 2, 3),
    builds AS (
      UPDATE ${MCE_MACHINE_BUILDS_TABLE} m SET events = m.events - g.n FROM per_build g
      WHERE m.year = g.year AND m.machine_id = g.machine_id AND m.build = g.build),
    totals AS (
      UPDATE ${MCE_MACHINE_TOTALS_TABLE} m SET events = m.events - g.n
      FROM (SELECT year, machine_id, sum(n)::int AS n FROM per_build GROUP BY 1, 2) g
      WHERE m.year = g.year AND m.machine_id = g.machine_id)
    SELECT count(*)::int AS n FROM gone`,
  emptyMceDays: `DELETE FROM ${MCE_DAILY_TABLE} WHERE events <= 0`,
  emptyMceBuilds: `DELETE FROM ${MCE_MACHINE_BUILDS_TABLE} WHERE events <= 0`,
  emptyMceTotals: `DELETE FROM ${MCE_MACHINE_TOTALS_TABLE} WHERE events <= 0`,
  purgedMachines: `CREATE TEMP TABLE IF NOT EXISTS ${PURGED_MACHINES} (build text, external boolean, machine_id text) ON COMMIT DROP`,
  /** Heartbeats of purged records; the machine ids they belonged to are noted for the recount. */
  heartbeats: `
    WITH gone AS (
      DELETE FROM ${HEARTBEATS_TABLE} h USING ${PURGED_RECORDS} p WHERE ${OF_PURGED('h')}
      RETURNING h.build, h.external, h.machine_id),
    noted AS (INSERT INTO ${PURGED_MACHINES} SELECT DISTINCT build, external, machine_id FROM gone)
    SELECT count(*)::int AS n FROM gone`,
  /** Those machine ids' latest heartbeat, from what is left (lowered: set, not greatest)… */
  recountPopulation: `
    INSERT INTO ${POPULATION_MACHINES_TABLE} (build, external, machine_id, last_capture)
    SELECT h.build, h.external, h.machine_id, max(h.ts_capture) FROM ${HEARTBEATS_TABLE} h
    JOIN ${PURGED_MACHINES} g ON g.build = h.build AND g.external = h.external AND g.machine_id = h.machine_id
    GROUP BY 1, 2, 3
    ON CONFLICT (build, external, machine_id) DO UPDATE SET last_capture = EXCLUDED.last_capture`,
  /** …and the ids with none left are gone. */
  dropEmptyPopulation: `
    DELETE FROM ${POPULATION_MACHINES_TABLE} m USING ${PURGED_MACHINES} g
    WHERE m.build = g.build AND m.external = g.external AND m.machine_id = g.machine_id
      AND NOT EXISTS (SELECT 1 FROM ${HEARTBEATS_TABLE} h WHERE h.build = g.build AND h.external = g.external AND h.machine_id = g.machine_id)`,
} as const;

/** What the derived deletes touched, so the rollups over those times can be re-materialised. */
export type PurgedSpans = Readonly<{ reception: Span }>;

const DAY_S = 86_400;
/** Every Clear Linux rollup has 1-day buckets of reception time. */
const ROLLUPS = Object.values(CLR_ROLLUPS);

/**
 * Spec clearlinux.md §10 "deleting records must also drop them from every derived projection/rollup", for the
 * analytics projections (MCE events, heartbeats and their per-machine tables) and rollups.
 */
@Injectable()
export class AnalyticsPurge {
  constructor(private readonly rollups: RollupInstaller) {}

  /** In the purge's transaction, after the records in `clr_purged` were deleted. */
  async deleteDerived(tx: Queryable): Promise<PurgedSpans> {
    await tx.query(`ANALYZE ${PURGED_RECORDS}`); // temporary tables get no statistics otherwise
    const [reception] = await tx.query<Span>(AnalyticsPurgeSql.receptionSpan);
    await tx.query(AnalyticsPurgeSql.mceEvents);
    await tx.query(AnalyticsPurgeSql.emptyMceDays);
    await tx.query(AnalyticsPurgeSql.emptyMceBuilds);
    await tx.query(AnalyticsPurgeSql.emptyMceTotals);
    await tx.query(AnalyticsPurgeSql.purgedMachines);
    await tx.query(AnalyticsPurgeSql.heartbeats);
    await tx.query(AnalyticsPurgeSql.recountPopulation);
    await tx.query(AnalyticsPurgeSql.dropEmptyPopulation);
    return { reception };
  }

  /**
   * After commit (continuous aggregates refresh outside transactions): recomputes the buckets that held
   * purged rows; views follow by themselves.
   */
  async refreshRollups(spans: PurgedSpans): Promise<void> {
    const { first, last } = spans.reception;
    if (first === null || last === null) return;
    const from = new Date(Math.floor(first / DAY_S) * DAY_S * 1000).toISOString();
    const to = new Date((Math.floor(last / DAY_S) + 1) * DAY_S * 1000).toISOString();
    for (const def of ROLLUPS) await this.rollups.refresh(def.name, from, to);
  }
}
