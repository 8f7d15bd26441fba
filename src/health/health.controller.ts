import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../auth/admin.guard';
import { Database } from '../database/database';
import { EventLog } from '../event-log/event-log';

/** Liveness + readiness in one: 200 when the database and the event log answer, 503 otherwise. */
@ApiTags('platform')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: Database,
    private readonly log: EventLog,
  ) {}

  @Public()
  @Get('healthz')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ description: 'database and event log reachable' })
  @ApiServiceUnavailableResponse({ description: 'database or event log unavailable' })
  check() {
    return this.health.check([
      async () => {
        const indicator = this.indicators.check('database');
        try {
          await this.db.query('SELECT 1');
          return indicator.up();
        } catch (err) {
          return indicator.down({ message: (err as Error).message });
        }
      },
      async () => {
        const indicator = this.indicators.check('eventLog');
        const status = await this.log.health();
        return status.ok ? indicator.up({ kind: status.kind, detail: status.detail }) : indicator.down({ kind: status.kind, message: status.detail });
      },
    ]);
  }
}
