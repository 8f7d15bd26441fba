import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../../auth/admin.guard';
import { BodyLimit, INGEST_BODY_LIMIT_BYTES } from '../../../common/body-limit';
import { FailureReportIntake } from './failure-report-intake';

/** The failure-report endpoint of the Fuel collector (spec fuelstats.md §7.3); `/api/v1/failure_reports/` reaches the same intake. */
@ApiTags('fuel collector')
@Public()
@Controller('api/v1')
export class FailureReportsCollectorController {
  constructor(private readonly intake: FailureReportIntake) {}

  @BodyLimit(INGEST_BODY_LIMIT_BYTES)
  @Post('failure_reports')
  @ApiOperation({ summary: 'Immediate failure report: 201 new (notified when a contact is given) / 200 known report_uuid (spec fuelstats.md §7.3, NEW)' })
  @ApiBody({ description: 'schemas/fuel/failure-report-request.v1.json' })
  @ApiOkResponse({ description: 'schemas/fuel/failure-report-response.v1.json' })
  failureReports(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    return this.intake.handle(req, reply);
  }
}
