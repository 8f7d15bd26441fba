import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Leases } from '../../../coordination/leases';
import { Database } from '../../../database/database';
import { AnalyticsPurge } from '../analytics/analytics.purge';
import { CLEARLINUX_CONFIG, ClearLinuxConfig } from '../clearlinux.config';
import { CrashesRepository } from '../crashes/crashes.repository';
import { RecordsRepository } from '../records/records.repository';
import { purgePlan, purgeStatement } from './retention.plan';

/** ms from `now` to the next 04:30 UTC (clearlinux.md §10 "daily at 04:30 server time"; the server clock is UTC). */
export function msUntilNextRun(now: Date, hour = 4, minute = 30): number {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour, minute));
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next.getTime() - now.getTime();
}

/**
 * Runs the clearlinux.md §10 purge daily in-process: `records` and the analytics rows derived from the records it
 * removed in one transaction, then the crashes of removed records (the crash rollup follows: it is
 * refreshed over the window it is read for) and the analytics rollups over the purged days.
 */
@Injectable()
export class RetentionService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('clearlinux-retention');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly records: RecordsRepository,
    @Inject(CLEARLINUX_CONFIG) private readonly config: ClearLinuxConfig,
    private readonly crashes: CrashesRepository,
    private readonly analytics: AnalyticsPurge,
    private readonly db: Database,
    private readonly leases: Leases,
  ) {}

  onModuleInit(): void {
    if (this.config.purge.enabled) this.leases.runWhileHeld('job:clearlinux-retention', () => (this.schedule(), () => clearTimeout(this.timer)));
  }

  onModuleDestroy(): void {
    clearTimeout(this.timer);
  }

  /** Deletes what the plan says is expired at `now`; returns the rows removed. */
  async purge(now: Date = new Date()): Promise<number> {
    const statements = purgePlan(this.config.purge).map((step) => purgeStatement(step, now));
    const { counts, spans } = await this.db.transaction(async (tx) => {
      const counts = await this.records.deleteWhere(tx, statements);
      return { counts, spans: await this.analytics.deleteDerived(tx) };
    });
    const total = counts.reduce((a, b) => a + b, 0);
    const crashes = await this.crashes.deleteWithoutRecord();
    await this.analytics.refreshRollups(spans);
    this.logger.log(`purge removed ${total} record(s), ${crashes} crash row(s)`);
    return total;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.purge()
        .catch((err: Error) => this.logger.error(`purge failed: ${err.message}`))
        .finally(() => this.schedule());
    }, msUntilNextRun(new Date()));
    this.timer.unref();
  }
}
