import type { RollupDefinition } from '../../../database/rollup-installer';

/**
 * The Clear Linux rollups (spec clearlinux.md §8.2, §8.3, §8.5, §8.6), each one SELECT installed by the
 * RollupInstaller (continuous aggregate, or a view where the database has none). Every rollup keeps
 * `build` so the build filter works everywhere; times are UTC buckets.
 *
 * They all bucket reception time, the column `records` is partitioned on. The MCE/thermal counts per
 * capture day are a table the analytics projector keeps (`clr_mce_daily`): a continuous aggregate cannot
 * bucket a column other than its hypertable's time column.
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
} as const satisfies Record<string, RollupDefinition>;
