import { Queryable } from './database';

/** What the connected database can do; decided once at start-up and exposed as one object. */
export type DatabaseCapabilities = Readonly<{
  server: 'embedded' | 'external';
  serverVersion: string;
  timescaledb: boolean;
  timescaledbVersion?: string;
  timescaledbLicense?: string;
  /** Continuous aggregates need the Timescale License edition (`timescaledb.license = 'timescale'`). */
  continuousAggregates: boolean;
  /**
   * TimescaleDB runs its own job scheduler here (Timescale License, background workers configured, not
   * PGlite, which starts no background processes): refresh policies replace the app's refresh timer.
   */
  backgroundJobs: boolean;
  rollupMode: RollupMode;
}>;

export type RollupMode = 'continuous-aggregate' | 'view-over-hypertable' | 'view-over-table';

export async function detectCapabilities(db: Queryable, server: 'embedded' | 'external'): Promise<DatabaseCapabilities> {
  const [{ server_version: serverVersion }] = await db.query<{ server_version: string }>('SHOW server_version');
  const ext = await db.query<{ extversion: string }>(`SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'`);
  if (ext.length === 0) {
    return { server, serverVersion, timescaledb: false, continuousAggregates: false, backgroundJobs: false, rollupMode: 'view-over-table' };
  }
  // PGlite preloads no libraries: until something calls into TimescaleDB its settings are undefined (the
  // license reads null, and every restart would reinstall the continuous aggregates as views).
  if (server === 'embedded') await db.query(`LOAD 'timescaledb'`);
  const [{ license }] = await db.query<{ license: string }>(`SELECT current_setting('timescaledb.license', true) AS license`);
  const continuousAggregates = license === 'timescale';
  const [{ workers }] = await db.query<{ workers: string | null }>(`SELECT current_setting('timescaledb.max_background_workers', true) AS workers`);
  const backgroundJobs = continuousAggregates && server === 'external' && Number(workers ?? 0) > 0;
  return {
    server,
    serverVersion,
    timescaledb: true,
    timescaledbVersion: ext[0].extversion,
    timescaledbLicense: license,
    continuousAggregates,
    backgroundJobs,
    rollupMode: continuousAggregates ? 'continuous-aggregate' : 'view-over-hypertable',
  };
}

export function describeCapabilities(c: DatabaseCapabilities): string {
  const tsdb = c.timescaledb ? `TimescaleDB ${c.timescaledbVersion} (license ${c.timescaledbLicense})` : 'no TimescaleDB';
  const refresh = c.continuousAggregates ? (c.backgroundJobs ? ' refreshed by TimescaleDB policies' : ' refreshed by the platform') : '';
  return `${c.server} PostgreSQL ${c.serverVersion}, ${tsdb}, rollups as ${c.rollupMode}${refresh}`;
}
