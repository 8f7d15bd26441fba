import { Controller, Get, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { parseAnalyticsFilter, parsePage } from './analytics.filter';
import { AnalyticsQuery } from './analytics.query';
import { analyticsSchema } from './analytics.schemas';
import { queryOf } from '../../../common/http-input';
import { RequiresRole } from '../../../auth/roles';
import { showsRawMachineIds } from '../machine-ids/machine-ids';

const FILTER_PARAMS = [
  ['from', 'YYYY-MM-DD, UTC, inclusive (default: view-specific, see each view)'],
  ['to', 'YYYY-MM-DD, UTC, exclusive'],
  ['build', 'exact build'],
] as const;

/** JSON for every Clear Linux analytics chart (spec clearlinux.md §8.2–§8.8), read from the rollups. Admin credential. */
@ApiTags('clearlinux analytics')
@ApiBearerAuth()
@ApiBadRequestResponse({ description: '{"message": "<parameter> ..."}' })
@RequiresRole('viewer')
@Controller('api/clearlinux')
export class AnalyticsApiController {
  constructor(private readonly query: AnalyticsQuery) {}

  @Get('builds')
  @ApiOperation({ summary: 'Records per build (integer builds ascending, others listed apart) and per reception day; all time by default' })
  @ApiOkResponse({ schema: analyticsSchema('builds') })
  builds(@Req() req: FastifyRequest) {
    return this.query.builds(parseAnalyticsFilter(queryOf(req.url)).filter);
  }

  @Get('stats')
  @ApiOperation({ summary: 'Records per classification and per platform, count descending then name; all time by default' })
  @ApiOkResponse({ schema: analyticsSchema('stats') })
  stats(@Req() req: FastifyRequest) {
    return this.query.stats(parseAnalyticsFilter(queryOf(req.url)).filter);
  }

  @Get('mce')
  @ApiOperation({ summary: 'MCE records per class, build, %U week and machine (paged by `page`, 50 machines); captured since 1 January UTC by default' })
  @ApiQuery({ name: 'page', required: false, description: 'machine table page, from 1' })
  @ApiOkResponse({ schema: analyticsSchema('mce') })
  mce(@Req() req: FastifyRequest) {
    const q = queryOf(req.url);
    return this.query.mce(parseAnalyticsFilter(q).filter, new Date(), parsePage(q), showsRawMachineIds(req));
  }

  @Get('thermal')
  @ApiOperation({ summary: 'Thermal events per ISO week of capture time; the last five weeks by default' })
  @ApiOkResponse({ schema: analyticsSchema('thermal') })
  thermal(@Req() req: FastifyRequest) {
    return this.query.thermal(parseAnalyticsFilter(queryOf(req.url)).filter, new Date());
  }

  @Get('population')
  @ApiOperation({ summary: 'Distinct machine ids (exact) per build, internal/external, over all time, 14, 7, 3 and 1 days; machine ids rotate every 3 days' })
  @ApiOkResponse({ schema: analyticsSchema('population') })
  population(@Req() req: FastifyRequest) {
    return this.query.population(parseAnalyticsFilter(queryOf(req.url)).filter, new Date());
  }
}

for (const method of ['builds', 'stats', 'mce', 'thermal', 'population'] as const) {
  for (const [name, description] of FILTER_PARAMS) {
    ApiQuery({ name, required: false, description, type: String })(
      AnalyticsApiController.prototype,
      method,
      Object.getOwnPropertyDescriptor(AnalyticsApiController.prototype, method)!,
    );
  }
}
