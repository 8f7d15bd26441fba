import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { NotFound } from '../common/errors';
import { AppConfig, runtimeMode } from '../config/app-config';
import { DatabaseCapabilities } from '../database/capabilities';
import { ProjectorRuntime, ReplayProgress, UnknownProjector } from '../event-log/projector-runtime';
import { EventLog } from '../event-log/event-log';
import { APP_CONFIG, DB_CAPABILITIES } from '../platform/tokens';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/admin')
export class AdminController {
  constructor(
    private readonly runtime: ProjectorRuntime,
    private readonly log: EventLog,
    @Inject(DB_CAPABILITIES) private readonly capabilities: DatabaseCapabilities,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('status')
  @ApiOkResponse({ description: 'runtime mode, database capabilities, event log and projector lag' })
  async status() {
    return {
      mode: runtimeMode(this.config),
      capabilities: this.capabilities,
      eventLog: await this.log.health(),
      projectors: await this.runtime.status(),
    };
  }

  /** Starts a rebuild of one projector from the event log; poll the GET for progress. */
  @Post('projectors/:name/replay')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'replay started' })
  @ApiNotFoundResponse({ description: 'unknown projector' })
  startReplay(@Param('name') name: string): ReplayProgress {
    this.known(name);
    const running = this.runtime.replayStatus(name);
    if (!running || running.done) this.runtime.replay(name).catch(() => undefined); // failure is kept in the status
    return this.runtime.replayStatus(name)!;
  }

  @Get('projectors/:name/replay')
  @ApiOkResponse({ description: 'progress of the last replay of this projector' })
  replayStatus(@Param('name') name: string): ReplayProgress {
    this.known(name);
    const status = this.runtime.replayStatus(name);
    if (!status) throw new NotFound(`projector ${name} has not been replayed since start-up`);
    return status;
  }

  private known(name: string): void {
    if (!this.runtime.names().includes(name)) throw new NotFound(new UnknownProjector(name, this.runtime.names()).message);
  }
}
