import { Logger, Module, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { RollupInstaller } from '../../../database/rollup-installer';
import { CLR_CRASH_GUILTY_DAILY } from './crash-guilty-daily.rollup';
import { ProjectorRuntime } from '../../../event-log/projector-runtime';
import { CrashesApiController } from './crashes-api.controller';
import { CrashesConsoleController } from './crashes-console.controller';
import { crashesProjector } from './crashes.projection';
import { CrashesQueryService } from './crashes.query-service';
import { CrashesRepository } from './crashes.repository';
import { AnnotateGuiltyHandler } from './guilties/annotate-guilty.handler';
import { EditNeverGuiltyHandler, NeverGuiltyEditor, ReprocessAllCrashesHandler, SetNeverGuiltyFromCrashHandler } from './never-guilty/edit-never-guilty.handler';
import { GuiltiesApiController } from './guilties/guilties-api.controller';
import { GuiltiesConsoleController } from './guilties/guilties-console.controller';
import { GuiltiesRepository } from './guilties/guilties.repository';
import { guiltyNotesProjector } from './guilties/guilty.projection';
import { neverGuiltyProjector } from './never-guilty/never-guilty.projection';
import { NeverGuiltyList, NeverGuiltyRepository } from './never-guilty/never-guilty.repository';
import { RegroupService } from './regroup.service';

/**
 * Clear Linux crashes (spec clearlinux.md §7, §8.4): the `crashes` projection with guilty frames, its daily rollup,
 * the never-guilty list (events → projection) with regrouping by replay, guilties' hidden flag and
 * comment (events → projection), the Crashes API and pages.
 */
@Module({
  controllers: [CrashesApiController, CrashesConsoleController, GuiltiesApiController, GuiltiesConsoleController],
  providers: [
    CrashesRepository,
    GuiltiesRepository,
    AnnotateGuiltyHandler,
    ReprocessAllCrashesHandler,
    CrashesQueryService,
    NeverGuiltyRepository,
    NeverGuiltyList,
    RegroupService,
    NeverGuiltyEditor,
    EditNeverGuiltyHandler,
    SetNeverGuiltyFromCrashHandler,
  ],
  exports: [CrashesRepository],
})
export class ClearLinuxCrashesModule implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('clearlinux-crashes');

  constructor(
    private readonly runtime: ProjectorRuntime,
    private readonly list: NeverGuiltyList,
    private readonly rollups: RollupInstaller,
    private readonly regroup: RegroupService,
  ) {}

  /** The list is loaded before the projectors start, so the first crash projected already uses it. */
  async onModuleInit(): Promise<void> {
    await this.list.reload();
    await this.rollups.install(CLR_CRASH_GUILTY_DAILY);
    this.runtime.register(neverGuiltyProjector);
    this.runtime.register(guiltyNotesProjector);
    this.runtime.register(crashesProjector(this.list.current));
  }

  onApplicationBootstrap(): void {
    this.logger.log(`never-guilty list: ${this.list.count} frame(s); rollup ${CLR_CRASH_GUILTY_DAILY.name} as ${this.rollups.mode}`);
    // In the background: it waits for the projectors, which start once every module is bootstrapped.
    this.regroup.regroupIfStale().catch((err: Error) => this.logger.warn(`start-up grouping check failed: ${err.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    await this.regroup.settled();
  }
}
