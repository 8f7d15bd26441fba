import { All, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BodyLimit, INGEST_BODY_LIMIT_BYTES } from '../../../common/body-limit';
import { MethodNotAllowed, NotFound } from '../../../common/errors';
import { Public } from '../../../auth/admin.guard';
import { FuelSchemaId, FuelSchemas } from '../fuel-schemas';
import { COLLECTOR_ENDPOINTS, CollectorEndpoint, CollectorHandler, execTime, readCollectorBody } from './collector-endpoint';
import { SubmitActionLogs } from './submit-action-logs.command';
import { SubmitInstallation } from './submit-installation.command';
import { SubmitOstfRuns, SubmitOswlStats } from './submit-oswl-stats.command';


/**
 * Fuel collector (spec fuelstats.md §2). Senders post to paths WITH a trailing slash, which Nest strips from route
 * paths; those requests (and wrong methods, and unknown paths) reach the `api/v1/*` catch-all, which
 * dispatches by the normalised path so both spellings behave identically (no redirect, fuelstats.md §1). Endpoints
 * served elsewhere in Fuel (COLLECTOR_ENDPOINTS: the failure reports) are dispatched the same way.
 */
@ApiTags('fuel collector')
@Public()
@Controller('api/v1')
export class CollectorController {
  private readonly routes: Record<string, Record<string, CollectorHandler>> = {
    ping: { GET: (req, reply) => this.ping(req, reply), HEAD: (req, reply) => this.ping(req, reply) },
    action_logs: { POST: (req, reply) => this.actionLogs(req, reply) },
    installation_structure: { POST: (req, reply) => this.installationStructure(req, reply) },
    oswl_stats: { POST: (req, reply) => this.oswlStats(req, reply) },
    ostf_runs: { POST: (req, reply) => this.ostfRuns(req, reply) },
  };

  constructor(
    private readonly commands: CommandBus,
    private readonly schemas: FuelSchemas,
    @Inject(COLLECTOR_ENDPOINTS) endpoints: readonly CollectorEndpoint[],
  ) {
    for (const e of endpoints) this.routes[e.path] = { ...this.routes[e.path], [e.method]: e.handle };
  }

  @Get('ping')
  @ApiOperation({ summary: 'Liveness for the Fuel sender (also /api/v1/ping/)' })
  @ApiOkResponse({ description: '{"status":"ok","exec_time":…} — schemas/fuel/ok-response.v1.json' })
  async ping(@Req() _req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    const started = process.hrtime.bigint();
    void reply.status(200);
    return { status: 'ok', exec_time: execTime(started) };
  }

  @BodyLimit(INGEST_BODY_LIMIT_BYTES)
  @Post('action_logs')
  @HttpCode(200)
  @ApiOperation({ summary: 'Bulk action logs with per-record status (spec fuelstats.md §3.2; also /api/v1/action_logs/)' })
  @ApiBody({ description: 'schemas/fuel/action-logs-request.v1.json' })
  @ApiOkResponse({ description: 'schemas/fuel/action-logs-response.v1.json' })
  async actionLogs(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    const started = process.hrtime.bigint();
    const body = this.readBody(req, 'fuel/action-logs-request.v1');
    const results = await this.commands.execute(new SubmitActionLogs(body as never, new Date().toISOString()));
    void reply.status(200);
    return { status: 'ok', action_logs: results, exec_time: execTime(started) };
  }

  @BodyLimit(INGEST_BODY_LIMIT_BYTES)
  @Post('installation_structure')
  @ApiOperation({ summary: 'Upsert an installation structure: 201 created / 200 updated (spec fuelstats.md §3.3)' })
  @ApiBody({ description: 'schemas/fuel/installation-structure-request.v1.json' })
  @ApiOkResponse({ description: 'schemas/fuel/ok-response.v1.json' })
  async installationStructure(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    const started = process.hrtime.bigint();
    const body = this.readBody(req, 'fuel/installation-structure-request.v1');
    const outcome = await this.commands.execute(new SubmitInstallation(body as never, new Date().toISOString()));
    void reply.status(outcome === 'created' ? 201 : 200);
    return { status: 'ok', exec_time: execTime(started) };
  }

  @BodyLimit(INGEST_BODY_LIMIT_BYTES)
  @Post('oswl_stats')
  @HttpCode(200)
  @ApiOperation({ summary: 'Bulk upsert of OpenStack workload stats (spec fuelstats.md §3.4)' })
  @ApiBody({ description: 'schemas/fuel/oswl-stats-request.v1.json' })
  @ApiOkResponse({ description: 'schemas/fuel/oswl-stats-response.v1.json' })
  async oswlStats(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    const started = process.hrtime.bigint();
    const body = this.readBody(req, 'fuel/oswl-stats-request.v1');
    const results = await this.commands.execute(new SubmitOswlStats(body as never, new Date().toISOString()));
    void reply.status(200);
    return { status: 'ok', oswl_stats: results, exec_time: execTime(started) };
  }

  @BodyLimit(INGEST_BODY_LIMIT_BYTES)
  @Post('ostf_runs')
  @HttpCode(200)
  @ApiOperation({ summary: 'Bulk upsert of health-check (OSTF) runs (spec fuelstats.md §3.5, NEW)' })
  @ApiBody({ description: 'schemas/fuel/ostf-runs-request.v1.json' })
  @ApiOkResponse({ description: 'schemas/fuel/ostf-runs-response.v1.json' })
  async ostfRuns(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    const started = process.hrtime.bigint();
    const body = this.readBody(req, 'fuel/ostf-runs-request.v1');
    const results = await this.commands.execute(new SubmitOstfRuns(body as never, new Date().toISOString()));
    void reply.status(200);
    return { status: 'ok', ostf_runs: results, exec_time: execTime(started) };
  }

  /** Trailing-slash spellings, wrong methods (405 + Allow) and unknown paths (404) under /api/v1/. */
  // Not an operation of its own: it answers the documented routes' trailing-slash spellings, 404 and 405.
  // OpenAPI has no wildcard path, so it stays out of the document (src/openapi/openapi-document.ts).
  @ApiExcludeEndpoint()
  @BodyLimit(INGEST_BODY_LIMIT_BYTES)
  @All('*')
  async fallback(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    const path = (req.url.split('?')[0] ?? '').replace(/^\/api\/v1\//, '').replace(/\/$/, '');
    const byMethod = Object.prototype.hasOwnProperty.call(this.routes, path) ? this.routes[path] : undefined;
    if (!byMethod) throw new NotFound(`Not found: ${req.url.split('?')[0]}`, 'not_found');
    const handler = byMethod[req.method];
    if (!handler) {
      throw new MethodNotAllowed(Object.keys(byMethod));
    }
    return handler(req, reply);
  }

  private readBody(req: FastifyRequest, schema: FuelSchemaId): Record<string, unknown> {
    return readCollectorBody(req, this.schemas, schema);
  }
}
