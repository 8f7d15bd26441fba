import { DynamicModule, Global, Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, runtimeMode } from '../config/app-config';
import type { Env } from '../config/env-readers';
import { describeCapabilities } from '../database/capabilities';
import { Database } from '../database/database';
import { OpenDatabase, openDatabase } from '../database/open-database';
import { Leases } from '../coordination/leases';
import { createEventInfrastructure, EventInfrastructure } from '../event-log/event-infrastructure';
import { EventLog } from '../event-log/event-log';
import { ProjectorRuntime } from '../event-log/projector-runtime';
import { RollupInstaller } from '../database/rollup-installer';
import { Metrics } from '../metrics/metrics';
import { APP_CONFIG, DB_CAPABILITIES, ENVIRONMENT } from '../config/tokens';

const OPEN_DATABASE = Symbol('OPEN_DATABASE');
const EVENT_INFRASTRUCTURE = Symbol('EVENT_INFRASTRUCTURE');

/**
 * The spine every source module builds on: typed config, the database (embedded or external, migrated),
 * its capabilities, metrics, the event log and the projector runtime. Starts the log and projectors
 * once every module registered its projectors; stops them in reverse on shutdown.
 */
@Global()
@Module({})
export class PlatformModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('platform');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OPEN_DATABASE) private readonly database: OpenDatabase,
    @Inject(EVENT_INFRASTRUCTURE) private readonly events: EventInfrastructure,
    private readonly rollups: RollupInstaller,
  ) {}

  private refreshTimer: NodeJS.Timeout | undefined;
  /** ProjectorRuntime.eventsApplied when the rollups were last refreshed; null = not yet since start. */
  private refreshedAtApplied: number | null = null;
  /** The rollup refresh the timer last started: the database must not close under it. */
  private refreshing: Promise<void> = Promise.resolve();

  static forRoot(config: AppConfig, env: Env, metrics: Metrics = new Metrics()): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: ENVIRONMENT, useValue: env },
        { provide: Metrics, useValue: metrics },
        { provide: OPEN_DATABASE, useFactory: () => openDatabase(config) },
        {
          provide: Database,
          useFactory: (o: OpenDatabase) => {
            metrics.counterReading('telemetry_db_statements_total', 'SQL statements sent to the database (BEGIN/COMMIT included)', () => o.db.statementsIssued);
            return o.db;
          },
          inject: [OPEN_DATABASE],
        },
        { provide: DB_CAPABILITIES, useFactory: (o: OpenDatabase) => o.capabilities, inject: [OPEN_DATABASE] },
        {
          provide: EVENT_INFRASTRUCTURE,
          useFactory: (db: Database) => {
            const logger = new Logger('event-log');
            return createEventInfrastructure(config, db, metrics, (err) => logger.warn(`feed error: ${(err as Error).message}`));
          },
          inject: [Database],
        },
        { provide: EventLog, useFactory: (i: EventInfrastructure) => i.log, inject: [EVENT_INFRASTRUCTURE] },
        { provide: ProjectorRuntime, useFactory: (i: EventInfrastructure) => i.runtime, inject: [EVENT_INFRASTRUCTURE] },
        { provide: Leases, useFactory: (i: EventInfrastructure) => i.leases, inject: [EVENT_INFRASTRUCTURE] },
        {
          provide: RollupInstaller,
          useFactory: (db: Database, o: OpenDatabase) =>
            new RollupInstaller(db, o.capabilities, { allowDowngrade: config.rollupAllowDowngrade, refreshIntervalS: config.rollupRefreshIntervalS }),
          inject: [Database, OPEN_DATABASE],
        },
      ],
      exports: [APP_CONFIG, ENVIRONMENT, Metrics, Database, DB_CAPABILITIES, EventLog, ProjectorRuntime, Leases, RollupInstaller],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const mode = runtimeMode(this.config);
    this.logger.log(`mode ${mode}: ${describeCapabilities(this.database.capabilities)}; event log ${this.events.log.kind}`);
    await this.events.log.start();
    // Where TimescaleDB runs no background jobs (PGlite), continuous aggregates are refreshed from here (by
    // one instance of those sharing a database); elsewhere its refresh policies do it.
    if (this.rollups.refreshesItself) {
      this.events.leases.runWhileHeld('job:rollup-refresh', () => {
        this.refreshTimer = setInterval(() => (this.refreshing = this.refreshRollups()), this.config.rollupRefreshIntervalS * 1000);
        this.refreshTimer.unref();
        return () => clearInterval(this.refreshTimer);
      });
    }
    // Starts the leases too: projectors and every job registered so far are in, the first look spreads them all.
    await this.events.runtime.start();
    // Kafka mode: projectors follow consumer groups, the shared leases only carry the jobs.
    if (!this.events.leases.running) await this.events.leases.start();
  }

  /**
   * Rollups read tables the projectors write (the retention purge refreshes what it deletes itself), so
   * with nothing applied since the last refresh there is nothing to refresh. The first one after start
   * always runs: a previous process may have written after its last refresh.
   */
  private async refreshRollups(): Promise<void> {
    try {
      const applied = await this.appliedSoFar();
      if (applied === this.refreshedAtApplied) return;
      await this.rollups.refreshRecent();
      this.refreshedAtApplied = applied;
    } catch (err) {
      this.logger.warn(`rollup refresh failed: ${(err as Error).message}`);
    }
  }

  /**
   * With one process, what its projectors applied. Sharing a database, the projectors that write may run on
   * other instances: the sum of all checkpoints moves whenever any of them commits (one statement per
   * refresh interval, on the one instance holding the refresh lease).
   */
  private async appliedSoFar(): Promise<number> {
    if (!this.config.databaseUrl) return this.events.runtime.eventsApplied;
    const [{ n }] = await this.database.db.query<{ n: string }>(`SELECT coalesce(sum(position), 0)::text AS n FROM projector_checkpoints`);
    return Number(n);
  }

  /**
   * Runs after every other module's shutdown hooks and after the HTTP server answered its last request
   * (Nest closes global modules last). Appends still in the micro-batch are written first (their callers
   * may still be waiting), then each projector finishes and commits the batch it is applying, and only
   * then does the database close (the embedded one writes its files).
   */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.refreshTimer);
    try {
      await this.events.log.stop();
      await this.events.runtime.stop();
      await this.events.leases.stop();
      await this.refreshing;
    } finally {
      await this.database.close();
    }
  }
}
