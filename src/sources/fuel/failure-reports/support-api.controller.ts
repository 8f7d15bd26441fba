import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { InvalidInput } from '../../../common/errors';
import { jsonObjectBody } from '../../../common/http-input';
import { NoStore } from '../../../common/no-store';
import { parseReportQuery } from './report-filter';
import { PAGE_SIZE, SupportService } from './support.service';

/**
 * Support API (admin token = support role until user accounts exist). The list never carries contact
 * data; only the detail of one report decrypts it.
 */
@ApiTags('support')
@ApiBearerAuth()
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
  detail(@Param('uuid') uuid: string) {
    return this.support.detail(uuid);
  }

  @Post(':uuid/acknowledge')
  @HttpCode(200)
  @ApiBody({ description: '{"by"?: string, "note"?: string}' })
  async acknowledge(@Param('uuid') uuid: string, @Req() req: FastifyRequest) {
    const body = jsonObjectBody(req, { allowEmpty: true });
    await this.support.acknowledge(uuid, optionalString(body, 'by') ?? 'support', optionalString(body, 'note'));
    return (await this.support.detail(uuid)).report;
  }

  @Post(':uuid/assign')
  @HttpCode(200)
  @ApiBody({ description: '{"assignee": string | null}' })
  async assign(@Param('uuid') uuid: string, @Req() req: FastifyRequest) {
    await this.support.assign(uuid, optionalString(jsonObjectBody(req, { allowEmpty: true }), 'assignee'));
    return (await this.support.detail(uuid)).report;
  }
}

function optionalString(body: Record<string, unknown>, key: string): string | null {
  const v = body[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new InvalidInput(`/${key}: must be a string`, 'schema');
  return v;
}
