import type { RollupDefinition } from '../../../database/rollup-installer';

/**
 * The Clear Linux rollups (spec clearlinux.md §8.2, §8.3, §8.5, §8.6), each one SELECT installed by the
 * RollupInstaller (continuous aggregate, or a view where the database has none). Every rollup keeps
 * `build` so the build filter works everywhere; times are UTC buckets.
 *
 * Capture-time rollups get a long refresh window: a record can arrive long after it was captured
 * (spooled clients), and a refresh only recomputes buckets TimescaleDB has marked as invalidated.
 */
export const CLR_ROLLUPS = {
  /** Records per build per reception day (Builds). */
  builds: {
    name: 'clr_builds_daily',
    select: `SELECT time_bucket(interval '1 day', ts_reception) AS bucket, build, count(*) AS records
             FROM records GROUP BY 1, 2`,
  },
  /** Records per classification per reception day (Stats). */
  classifications: {
    name: 'clr_classifications_daily',
    select: `SELECT time_bucket(interval '1 day', ts_reception) AS bucket, build, classification, count(*) AS records
             FROM records GROUP BY 1, 2, 3`,
  },
  /** Records per platform (`machine_type`, the raw host_type string) per reception day (Stats). */
  platforms: {
    name: 'clr_platforms_daily',
    select: `SELECT time_bucket(interval '1 day', ts_reception) AS bucket, build, machine_type AS platform, count(*) AS records
             FROM records GROUP BY 1, 2, 3`,
  },
  /**
   * MCE and thermal events per capture day, build and kind (MCE charts, Thermal). Without the machine id:
   * ids rotate every 3 days, so a per-machine rollup is as large as its table (the machine table reads the
   * per-machine projection instead).
   */
  mce: {
    name: 'clr_mce_daily',
    select: `SELECT time_bucket(interval '1 day', ts_capture) AS bucket, build, kind, count(*) AS events
             FROM clr_mce_events GROUP BY 1, 2, 3`,
    refreshWindow: '400 days',
  },
} as const satisfies Record<string, RollupDefinition>;
