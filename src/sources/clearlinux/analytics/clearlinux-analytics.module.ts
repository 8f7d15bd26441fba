import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { analyticsFloorProvider } from '../../../common/k-anonymity';
import { RollupInstaller } from '../../../database/rollup-installer';
import { MachineIdsModule } from '../machine-ids/machine-ids';
import { ProjectorRuntime } from '../../../event-log/projector-runtime';
import { AnalyticsApiController } from './analytics-api.controller';
import { AnalyticsConsoleController } from './analytics-console.controller';
import { analyticsProjector } from './analytics.projection';
import { AnalyticsPurge } from './analytics.purge';
import { AnalyticsQuery } from './analytics.query';
import { AnalyticsRepository } from './analytics.repository';
import { CLR_ROLLUPS } from './analytics.rollups';

/** Clear Linux views Builds, Stats, MCE, Thermal, Population (spec clearlinux.md §8.2–§8.8): projection, rollups, API, console, purge of both. */
@Module({
  imports: [MachineIdsModule],
  controllers: [AnalyticsApiController, AnalyticsConsoleController],
  providers: [AnalyticsRepository, AnalyticsQuery, AnalyticsPurge, analyticsFloorProvider],
  exports: [AnalyticsQuery, AnalyticsPurge],
})
export class ClearLinuxAnalyticsModule implements OnModuleInit {
  private readonly logger = new Logger('clearlinux-analytics');

  constructor(
    private readonly runtime: ProjectorRuntime,
    private readonly rollups: RollupInstaller,
  ) {}

  async onModuleInit(): Promise<void> {
    this.runtime.register(analyticsProjector);
    for (const def of Object.values(CLR_ROLLUPS)) await this.rollups.install(def);
    this.logger.log(`rollups ${Object.values(CLR_ROLLUPS).map((d) => d.name).join(', ')} installed as ${this.rollups.mode}`);
  }
}
