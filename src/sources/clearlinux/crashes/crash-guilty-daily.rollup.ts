import type { RollupDefinition } from '../../../database/rollup-installer';

/**
 * Clear Linux crashes per reception day × classification × build × guilty frame (null guilty = not a
 * backtrace class, or no frames). The Crashes view's top-guilty table and chart read this; counts per
 * guilty and day, or per guilty and build, are sums over it.
 */
export const CLR_CRASH_GUILTY_DAILY: RollupDefinition = {
  name: 'clr_crash_guilty_daily',
  select: `SELECT time_bucket(interval '1 day', ts_reception) AS day, classification, build,
                  guilty_function, guilty_module, count(*) AS crashes
           FROM crashes
           GROUP BY 1, 2, 3, 4, 5`,
  refreshWindow: '8 days',
};
