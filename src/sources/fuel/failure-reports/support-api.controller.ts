import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Caller } from '../../../auth/caller';
import type { Principal } from '../../../auth/principal';
import { InvalidInput } from '../../../common/errors';
import { jsonObjectBody } from '../../../common/http-input';
import { NoStore } from '../../../common/no-store';
import { parseReportQuery } from './report-filter';
import { PAGE_SIZE, SupportService } from './support.service';
import { RequiresRole } from '../../../auth/roles';

/**
 * Support API (support role and above). The list never carries contact
 * data; only the detail of one report decrypts it.
 */
@ApiTags('support')
@ApiBearerAuth()
@RequiresRole('support')
@NoStore()
@Controller('api/support/failure-reports')
export class SupportApiController {
  constructor(private readonly support: SupportService) {}

  @Get()
  @ApiOperation({ summary: 'Failure reports, newest first (filters: release, status=open|acknowledged, acknowledged=yes|no, notified, page); no contact data' })
  async list(@Query() query: Record<string, string>) {
    const q = parseReportQuery(query);
    const rows = await this.support.list(q.filter, q.page);
    return { page: q.page, page_size: PAGE_SIZE, has_more: rows.length > PAGE_SIZE, failure_reports: rows.slice(0, PAGE_SIZE) };
  }

  @Get(':uuid')
  @ApiOperation({ summary: 'One report: failed action log, installation context, decrypted customer contact, delivery audit trail' })
  @ApiOkResponse({ description: 'report, contact (support only), deliveries with attempts' })
  detail(@Param('uuid') uuid: string, @Caller() caller: Principal) {
    return this.support.detail(uuid, caller);
  }

  @Post(':uuid/acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge: recorded as by the calling account (user or token name)' })
  @ApiBody({ description: '{"note"?: string}' })
  async acknowledge(@Param('uuid') uuid: string, @Req() req: FastifyRequest, @Caller() caller: Principal) {
    const body = jsonObjectBody(req, { allowEmpty: true });
    // A typed-in name would let anyone sign as anyone: the acting account is what is recorded.
    if (body.by !== undefined) throw new InvalidInput('/by: not accepted; the report is acknowledged by the calling account', 'schema');
    await this.support.acknowledge(uuid, caller, optionalString(body, 'note'));
    return this.support.report(uuid);
  }

  @Post(':uuid/assign')
  @HttpCode(200)
  @ApiBody({ description: '{"assignee": string | null} (assigned_by is the calling account)' })
  async assign(@Param('uuid') uuid: string, @Req() req: FastifyRequest, @Caller() caller: Principal) {
    await this.support.assign(uuid, optionalString(jsonObjectBody(req, { allowEmpty: true }), 'assignee'), caller);
    return this.support.report(uuid);
  }
}

function optionalString(body: Record<string, unknown>, key: string): string | null {
  const v = body[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new InvalidInput(`/${key}: must be a string`, 'schema');
  return v;
}
