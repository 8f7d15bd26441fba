import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFound } from '../../../common/errors';
import { chart, timeLines } from '../../../console/charts';
import { renderPage } from '../../../console/render';
import { payloadView } from './payload-view';
import { countSeries, parseCountsQuery } from './submission-counts';
import { ERROR_TYPES, parseFilter, SubmissionsRepository } from './submissions.repository';
import { RequiresRole } from '../../../auth/roles';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Console pages for generic submissions: accepted documents per namespace over time (ECharts), the error
 * stream with reasons, and a raw-payload viewer for one error record. JSON twins: /api/submissions/*.
 */
@ApiExcludeController()
@RequiresRole('viewer')
@Controller('console/submissions')
export class SubmissionsConsoleController {
  constructor(private readonly repository: SubmissionsRepository) {}

  @Get()
  async counts(@Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { bucket, hours } = parseCountsQuery(query);
    const series = countSeries(await this.repository.counts(bucket, hours));
    const stats = await this.repository.stats();
    return renderPage(request, reply, { page: 'pages/submissions/counts.hbs', title: 'Submissions' }, {
      nav: 'submissions',
      bucket,
      hours,
      buckets: ['minute', 'hour', 'day'].map((b) => ({ value: b, selected: b === bucket })),
      totals: series.map((s) => ({ namespace: s.namespace, accepted: s.points.reduce((a, [, n]) => a + n, 0) })),
      chart: chart(
        'submission-counts',
        timeLines({
          series: series.map((s) => ({ name: s.namespace, points: s.points })),
          from: new Date(Date.now() - hours * 3_600_000).toISOString(),
          to: new Date().toISOString(),
          x: { title: `Time (UTC, per ${bucket})` },
          y: { title: 'Accepted documents', unit: `per ${bucket}` },
        }),
        { class: 'view-chart wide', testid: 'counts-chart' },
      ),
      stats,
    });
  }

  @Get('errors')
  async errors(@Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const cleaned = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ''));
    const filter = parseFilter(cleaned, true);
    const page = await this.repository.errors(filter);
    return renderPage(request, reply, { page: 'pages/submissions/errors.hbs', partial: 'partials/_submission_errors_table.hbs', title: 'Submission errors' }, {
      nav: 'submission-errors',
      count: page.count,
      values: { namespace: filter.namespace ?? '', error_type: filter.errorType ?? '' },
      errorTypes: ERROR_TYPES.map((t) => ({ value: t, selected: t === filter.errorType })),
      items: page.items.map((i) => ({ ...i, has_payload: i.payload_base64 !== null })),
    });
  }

  @Get('errors/:eventId')
  async error(@Param('eventId') eventId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const record = UUID.test(eventId) ? await this.repository.errorById(eventId) : undefined;
    if (!record) throw new NotFound(`error record ${eventId} not found`, 'not_found');
    return renderPage(request, reply, { page: 'pages/submissions/error.hbs', title: 'Submission error' }, {
      nav: 'submission-errors',
      record,
      metadata: JSON.stringify(record.metadata, null, 2),
      payload: typeof record.payload_base64 === 'string' ? payloadView(record.payload_base64) : null,
    });
  }
}
