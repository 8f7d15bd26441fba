import { createHash } from 'node:crypto';
import { DatabaseCapabilities, RollupMode } from './capabilities';
import { Database } from './database';

/**
 * A rollup is defined once, as one SELECT over a (hyper)table that groups by `time_bucket(...)`.
 * `refreshWindow` bounds the periodic refresh of a continuous aggregate (recent buckets, where late
 * records land); real-time aggregation covers everything newer than the last refresh.
 */
export type RollupDefinition = Readonly<{
  name: string;
  select: string;
  refreshWindow?: string;
}>;

/** What a periodic refresh recomputes when a rollup names no window: where late records still land. */
const DEFAULT_REFRESH_WINDOW = '7 days';

export const RollupSql = {
  installed: `SELECT definition_hash, mode FROM rollup_definitions WHERE name = $1`,
  record: `
    INSERT INTO rollup_definitions (name, definition_hash, mode) VALUES ($1, $2, $3)
    ON CONFLICT (name) DO UPDATE SET definition_hash = EXCLUDED.definition_hash, mode = EXCLUDED.mode, installed_at = now()`,
  existingKind: `SELECT c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = current_schema() AND c.relname = $1`,
  isContinuousAggregate: `SELECT 1 FROM timescaledb_information.continuous_aggregates WHERE view_name = $1`,
} as const;

/**
 * Installs rollups as a TimescaleDB continuous aggregate when the edition has them, else as a plain
 * view (over a hypertable, or over a table on plain PostgreSQL); queries read `name` the same way in
 * every mode. Re-installs only when the SELECT (or the mode) changed.
 */
export class RollupInstaller {
  private readonly definitions = new Map<string, RollupDefinition>();

  constructor(
    private readonly db: Database,
    private readonly capabilities: DatabaseCapabilities,
    private readonly options: Readonly<{ allowDowngrade?: boolean; refreshIntervalS?: number }> = {},
  ) {}

  get mode(): RollupMode {
    return this.capabilities.rollupMode;
  }

  async install(def: RollupDefinition): Promise<void> {
    assertIdentifier(def.name);
    this.definitions.set(def.name, def);
    const hash = createHash('sha256').update(this.mode).update('\n').update(def.select).digest('hex');
    const [current] = await this.db.query<{ definition_hash: string; mode: RollupMode }>(RollupSql.installed, [def.name]);
    if (current?.definition_hash === hash) return this.ensureRefreshPolicy(def);
    if (current?.mode === 'continuous-aggregate' && this.mode !== 'continuous-aggregate' && !this.options.allowDowngrade) {
      // Silently re-creating them as views would cost every view query its materialised buckets (seconds per
      // view at a million records) and usually means the server is not the one that was meant.
      throw new RollupDowngradeRefused(def.name, this.capabilities);
    }

    await this.drop(def.name);
    if (this.capabilities.continuousAggregates) {
      // Separate statements outside a transaction: TimescaleDB refuses cagg DDL/refresh inside one.
      await this.db.query(
        `CREATE MATERIALIZED VIEW ${def.name} WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS ${def.select} WITH NO DATA`,
      );
      await this.db.query(`CALL refresh_continuous_aggregate('${def.name}', NULL, NULL)`);
    } else {
      await this.db.query(`CREATE VIEW ${def.name} AS ${def.select}`);
    }
    await this.db.query(RollupSql.record, [def.name, hash, this.mode]);
    await this.ensureRefreshPolicy(def);
  }

  /**
   * Where TimescaleDB runs background jobs, its refresh policy keeps a continuous aggregate's recent window
   * materialised (one job on the server, however many instances share it); `if_not_exists` makes this a
   * no-op when the policy is already there, and adds it to aggregates created before policies were used.
   */
  private async ensureRefreshPolicy(def: RollupDefinition): Promise<void> {
    if (!this.capabilities.backgroundJobs) return;
    await this.db.query(
      `SELECT add_continuous_aggregate_policy('${def.name}', start_offset => $1::interval, end_offset => NULL,
         schedule_interval => $2::interval, if_not_exists => true)`,
      [def.refreshWindow ?? DEFAULT_REFRESH_WINDOW, `${this.options.refreshIntervalS ?? 60} seconds`],
    );
  }

  /** Materialises buckets in [from, to) (null = open end); a no-op for views, which are always current. */
  async refresh(name: string, from: string | null = null, to: string | null = null): Promise<void> {
    if (!this.capabilities.continuousAggregates) return;
    assertIdentifier(name);
    await this.db.query(`CALL refresh_continuous_aggregate('${name}', $1::timestamptz, $2::timestamptz)`, [from, to]);
  }

  /** Whether the platform must refresh continuous aggregates itself (no server policies: PGlite runs no background jobs). */
  get refreshesItself(): boolean {
    return this.capabilities.continuousAggregates && !this.capabilities.backgroundJobs;
  }

  /** Periodic refresh of each installed rollup's recent window, where no server policy does it. */
  async refreshRecent(): Promise<void> {
    if (!this.refreshesItself) return;
    for (const def of this.definitions.values()) {
      const [{ from }] = await this.db.query<{ from: string }>(`SELECT (now() - $1::interval)::text AS from`, [def.refreshWindow ?? DEFAULT_REFRESH_WINDOW]);
      await this.refresh(def.name, from, null);
    }
  }

  private async drop(name: string): Promise<void> {
    const [existing] = await this.db.query<{ kind: string }>(RollupSql.existingKind, [name]);
    if (!existing) return;
    if (existing.kind === 'v' && this.capabilities.timescaledb) {
      const cagg = await this.db.query(RollupSql.isContinuousAggregate, [name]);
      if (cagg.length > 0) {
        await this.db.query(`DROP MATERIALIZED VIEW ${name} CASCADE`);
        return;
      }
    }
    await this.db.query(existing.kind === 'm' ? `DROP MATERIALIZED VIEW ${name} CASCADE` : `DROP VIEW ${name} CASCADE`);
  }
}

/** A start-up error: this database had continuous aggregates and no longer offers them. */
export class RollupDowngradeRefused extends Error {
  constructor(name: string, capabilities: DatabaseCapabilities) {
    super(
      `rollup ${name} is a continuous aggregate, but this database offers none (TimescaleDB ${capabilities.timescaledb ? `license ${capabilities.timescaledbLicense}` : 'not installed'}); ` +
        'refusing to re-create it as a plain view. Set ROLLUP_ALLOW_DOWNGRADE=true to accept that.',
    );
    this.name = 'RollupDowngradeRefused';
  }
}

function assertIdentifier(name: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid rollup name "${name}"`);
}
