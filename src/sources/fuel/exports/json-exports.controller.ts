import { Readable } from 'node:stream';
import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { NotFound } from '../../../common/errors';
import { NoStore } from '../../../common/no-store';
import { swaggerSchema } from '../../../common/swagger-schema';
import { AnalyticsNetworkGuard } from '../analytics-network.guard';
import { Page, JsonExportsRepository, Summary } from './json-exports.repository';
import { pagedJson, pagingParams, Paging } from './json-exports';
import { RequiresRole } from '../../../auth/roles';

const PAGING_QUERY = {
  name: 'paging_params',
  required: false,
  description: 'JSON text {"limit": n, "offset": m}; anything unparseable means the defaults limit 1000, offset 0',
} as const;
const schema = (name: string) => swaggerSchema('fuel', `${name}.v1.json`);

/**
 * Upstream-compatible JSON exports (spec fuelstats.md §5.6). Paged answers are written row by row from chunked queries,
 * so a page of large installation structures is never held whole. Admin credential plus the analytics
 * network rule.
 */
@ApiTags('fuel exports')
@ApiBearerAuth()
@UseGuards(AnalyticsNetworkGuard)
@RequiresRole('analyst')
@Controller('api/v1/json')
export class JsonExportsController {
  constructor(private readonly repo: JsonExportsRepository) {}

  // Whole installation structures, user_information included (see CsvExportsController.clusters).
  @Get('installation_info/:uid')
  @NoStore()
  @ApiOperation({ summary: 'One stored installation (structure, dates, filtered flag, release)' })
  @ApiOkResponse({ schema: schema('installation-info-response') })
  async installationInfo(@Param('uid') uid: string) {
    const row = await this.repo.installationInfo(uid);
    if (!row) throw new NotFound(`No installation with master_node_uid '${uid}'`, 'not_found');
    return row;
  }

  @Get('oswls/:uid')
  @ApiOperation({ summary: "An installation's OSWL records by row id, paged" })
  @ApiQuery(PAGING_QUERY)
  @ApiOkResponse({ schema: schema('oswls-response') })
  async oswls(@Param('uid') uid: string, @Query('paging_params') paging: unknown, @Res() reply: FastifyReply) {
    const p = pagingParams(paging);
    return sendPage(reply, p, await this.repo.oswls(uid, null, p));
  }

  @Get('oswls/:uid/:resource_type')
  @ApiOperation({ summary: "An installation's OSWL records of one resource type by row id, paged" })
  @ApiQuery(PAGING_QUERY)
  @ApiOkResponse({ schema: schema('oswls-response') })
  async oswlsOfType(@Param('uid') uid: string, @Param('resource_type') type: string, @Query('paging_params') paging: unknown, @Res() reply: FastifyReply) {
    const p = pagingParams(paging);
    return sendPage(reply, p, await this.repo.oswls(uid, type, p));
  }

  @Get('action_logs/:uid')
  @ApiOperation({ summary: "An installation's action logs by row id, paged" })
  @ApiQuery(PAGING_QUERY)
  @ApiOkResponse({ schema: schema('action-logs-export-response') })
  async actionLogs(@Param('uid') uid: string, @Query('paging_params') paging: unknown, @Res() reply: FastifyReply) {
    const p = pagingParams(paging);
    return sendPage(reply, p, await this.repo.actionLogs(uid, p));
  }

  @Get('installation_infos/filtered')
  @NoStore()
  @ApiOperation({ summary: 'Installations filtered out by the release filtering rules (fuelstats.md §3.7), paged' })
  @ApiQuery(PAGING_QUERY)
  @ApiOkResponse({ schema: schema('installation-infos-filtered-response') })
  async filtered(@Query('paging_params') paging: unknown, @Res() reply: FastifyReply) {
    const p = pagingParams(paging);
    return sendPage(reply, p, await this.repo.filteredInstallations(p));
  }

  @Get('summary')
  @ApiOperation({ summary: 'Stored row counts: installations (total, not filtered, filtered), action logs, OSWL records' })
  @ApiOkResponse({ schema: schema('summary-response') })
  summary(): Promise<Summary> {
    return this.repo.summary();
  }
}

function sendPage(reply: FastifyReply, paging: Paging, page: Page) {
  return reply.header('content-type', 'application/json; charset=utf-8').send(Readable.from(pagedJson(paging, page.total, page.rows)));
}
