import { Controller, Delete, Get, Options, Patch, Post, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BodyLimit, INGEST_BODY_LIMIT_BYTES } from '../../../common/body-limit';
import { MethodNotAllowed } from '../../../common/errors';
import { Public } from '../../../auth/admin.guard';
import { normaliseRawHeaders } from '../record/header-names';
import { RECORDS_CONSOLE_PATH } from '../records/records-console.controller';
import { recordSchema } from '../clearlinux.schemas';
import { SubmitOutcome, SubmitTelemetryRecord } from './submit-telemetry-record.command';

const V2_PATHS = ['/', 'v2/collector'];
const ALL_PATHS = [...V2_PATHS, 'v3/collector'];
const EMPTY = new Uint8Array(0);

/**
 * Clear Linux collector (spec clearlinux.md §2): v2 = fields as headers + raw body, v3 = one JSON object.
 * Only 200/201 count as delivered for the client (clearlinux.md §1), so a valid record never gets anything else.
 */
@ApiTags('clearlinux')
@Controller()
export class CollectorController {
  constructor(private readonly commands: CommandBus) {}

  @Public()
  @BodyLimit(INGEST_BODY_LIMIT_BYTES)
  @Post(V2_PATHS)
  @ApiOperation({ summary: 'Submit a record (v2: record fields as headers, payload as raw body)' })
  @ApiCreatedResponse({ description: 'new record stored', schema: recordSchema })
  @ApiOkResponse({ description: 'duplicate of a stored record (clearlinux.md §4): the original record', schema: recordSchema })
  @ApiBadRequestResponse({ description: '{"message": "<rule>"} (spec clearlinux.md §3.1)' })
  async postV2(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.submit('v2', req, reply);
  }

  @Public()
  @BodyLimit(INGEST_BODY_LIMIT_BYTES)
  @Post('v3/collector')
  @ApiOperation({ summary: 'Submit a record (v3: one JSON object, TID as header)' })
  @ApiCreatedResponse({ description: 'new record stored', schema: recordSchema })
  @ApiOkResponse({ description: 'duplicate of a stored record (clearlinux.md §4): the original record', schema: recordSchema })
  @ApiBadRequestResponse({ description: '{"message": "<rule>"} (spec clearlinux.md §3.1, §5)' })
  async postV3(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.submit('v3', req, reply);
  }

  /** `GET /` is ConsoleController.root (same redirect). */
  @Public()
  @Get('v2/collector')
  redirect(@Res() reply: FastifyReply) {
    return reply.status(302).header('location', RECORDS_CONSOLE_PATH).send();
  }

  // The wrong methods only ever answer 405: not operations an integrator calls, so not in the OpenAPI document.
  @Public() @ApiExcludeEndpoint() @Put(ALL_PATHS) put() { return notAllowed(); }
  @Public() @ApiExcludeEndpoint() @Delete(ALL_PATHS) delete() { return notAllowed(); }
  @Public() @ApiExcludeEndpoint() @Patch(ALL_PATHS) patch() { return notAllowed(); }
  @Public() @ApiExcludeEndpoint() @Options(ALL_PATHS) options() { return notAllowed(); }
  @Public() @ApiExcludeEndpoint() @Get('v3/collector') getV3() { return notAllowed(); }

  private async submit(protocol: 'v2' | 'v3', req: FastifyRequest, reply: FastifyReply) {
    const body = Buffer.isBuffer(req.body) ? req.body : EMPTY;
    const command = new SubmitTelemetryRecord(protocol, normaliseRawHeaders(req.raw.rawHeaders), body, new Date().toISOString());
    const { outcome, record } = await this.commands.execute<SubmitTelemetryRecord, SubmitOutcome>(command);
    void reply.status(outcome === 'created' ? 201 : 200);
    return record;
  }
}

function notAllowed(): never {
  throw new MethodNotAllowed();
}
