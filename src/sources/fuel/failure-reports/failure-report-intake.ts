import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FuelSchemas } from '../fuel-schemas';
import { CollectorEndpoint, execTime, readCollectorBody } from '../intake/collector-endpoint';
import { SubmitFailureReport } from './submit-failure-report.command';

/**
 * `POST /api/v1/failure_reports` (spec fuelstats.md §7.3): 201 for a new report (notified when a contact is given), 200 for
 * a known report_uuid. Served by FailureReportsCollectorController and, for the trailing-slash spelling the
 * senders use, by the collector's dispatch (COLLECTOR_ENDPOINTS).
 */
@Injectable()
export class FailureReportIntake implements CollectorEndpoint {
  readonly path = 'failure_reports';
  readonly method = 'POST';

  constructor(
    private readonly commands: CommandBus,
    private readonly schemas: FuelSchemas,
  ) {}

  readonly handle = async (req: FastifyRequest, reply: FastifyReply): Promise<Record<string, unknown>> => {
    const started = process.hrtime.bigint();
    const body = readCollectorBody(req, this.schemas, 'fuel/failure-report-request.v1');
    const outcome = await this.commands.execute(new SubmitFailureReport(body as never, new Date().toISOString()));
    void reply.status(outcome.existed ? 200 : 201);
    return { status: 'ok', exec_time: execTime(started), ...outcome };
  };
}
