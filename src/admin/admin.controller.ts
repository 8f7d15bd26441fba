import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { NotFound } from '../common/errors';
import { AppConfig, runtimeMode } from '../config/app-config';
import { DatabaseCapabilities } from '../database/capabilities';
import { ProjectorRuntime, ReplayProgress, UnknownProjector } from '../event-log/projector-runtime';
import { EventLog } from '../event-log/event-log';
import type { QuarantinedEvent } from '../event-log/quarantine';
import { APP_CONFIG, DB_CAPABILITIES } from '../config/tokens';
import { RequiresRole } from '../auth/roles';

@ApiTags('admin')
@ApiBearerAuth()
@RequiresRole('admin')
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

  /** Events set aside because their projector could not apply them (all projectors). */
  @Get('projectors/quarantine')
  @ApiOkResponse({ description: '[{projector, event_id, event_type, partition, position, error, attempts, first_seen, last_seen}]' })
  quarantine(): Promise<QuarantinedEvent[]> {
    return this.runtime.quarantined();
  }

  @Get('projectors/:name/quarantine')
  @ApiOkResponse({ description: 'the events this projector set aside' })
  quarantineOf(@Param('name') name: string): Promise<QuarantinedEvent[]> {
    this.known(name);
    return this.runtime.quarantined(name);
  }

  /** After a fix: applies the event again; `applied: false` (and the error) when it still cannot be. */
  @Post('projectors/:name/quarantine/:eventId/retry')
  @HttpCode(200)
  @ApiOkResponse({ description: '{"applied": true} or {"applied": false, "error": "..."}' })
  @ApiNotFoundResponse({ description: 'unknown projector, or the event is not quarantined by it' })
  retryQuarantined(@Param('name') name: string, @Param('eventId') eventId: string) {
    this.known(name);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(eventId)) throw new NotFound(`event ${eventId} is not quarantined by projector ${name}`);
    return this.runtime.retryQuarantined(name, eventId);
  }

  private known(name: string): void {
    if (!this.runtime.names().includes(name)) throw new NotFound(new UnknownProjector(name, this.runtime.names()).message);
  }
}
