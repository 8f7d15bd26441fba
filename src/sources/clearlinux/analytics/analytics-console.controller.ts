import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chart } from '../../../console/charts';
import { renderPage } from '../../../console/render';
import { parseAnalyticsFilter, parsePage } from './analytics.filter';
import { presentBuilds, presentMce, presentPopulation, presentStats, presentThermal, type ViewModel, windowText } from './analytics.present';
import { AnalyticsQuery } from './analytics.query';
import { AnalyticsRepository } from './analytics.repository';
import { queryOf, queryString } from '../../../common/http-input';

type ViewName = 'builds' | 'stats' | 'mce' | 'thermal' | 'population';
const TITLES: Record<ViewName, string> = { builds: 'Builds', stats: 'Stats', mce: 'MCE', thermal: 'Thermal', population: 'Population' };

/** Console pages for the Clear Linux analytics views; filters in the URL, htmx swaps #analytics-body. */
@ApiExcludeController()
@Controller('console/clearlinux')
export class AnalyticsConsoleController {
  constructor(
    private readonly query: AnalyticsQuery,
    private readonly repo: AnalyticsRepository,
  ) {}

  @Get('builds')
  builds(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.render('builds', req, reply, async (f) => {
      const v = await this.query.builds(f);
      return { window: v.window, model: presentBuilds(v) };
    });
  }

  @Get('stats')
  stats(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.render('stats', req, reply, async (f) => {
      const v = await this.query.stats(f);
      return { window: v.window, model: presentStats(v) };
    });
  }

  @Get('mce')
  mce(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const page = parsePage(queryOf(req.url));
    return this.render('mce', req, reply, async (f) => {
      const v = await this.query.mce(f, new Date(), page);
      const pages = Math.max(1, Math.ceil(v.machineCount / v.pageSize));
      return { window: v.window, model: presentMce(v), pager: { page, prev: page > 1 ? page - 1 : null, next: page < pages ? page + 1 : null } };
    });
  }

  @Get('thermal')
  thermal(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.render('thermal', req, reply, async (f) => {
      const v = await this.query.thermal(f, new Date());
      return { window: v.window, model: presentThermal(v) };
    });
  }

  @Get('population')
  population(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.render('population', req, reply, async (f) => {
      const v = await this.query.population(f, new Date());
      return { window: v.window, model: presentPopulation(v) };
    });
  }

  private async render(
    view: ViewName,
    req: FastifyRequest,
    reply: FastifyReply,
    load: (f: ReturnType<typeof parseAnalyticsFilter>['filter']) => Promise<{ window: Parameters<typeof windowText>[0]; model: ViewModel; pager?: { page: number; prev: number | null; next: number | null } }>,
  ) {
    const { filter, values } = parseAnalyticsFilter(queryOf(req.url));
    const { window, model, pager } = await load(filter);
    const path = `/console/clearlinux/${view}`;
    const builds = await this.repo.buildChoices();
    return renderPage(req, reply, { page: 'pages/clearlinux/analytics.hbs', partial: 'partials/_clr_analytics_body.hbs', title: TITLES[view] }, {
      nav: `clearlinux-${view}`,
      view,
      heading: TITLES[view],
      path,
      values,
      buildChoices: builds.map((b) => ({ value: b, selected: b === values.build })),
      apiUrl: `/api/clearlinux/${view}${queryString(values)}`,
      windowText: windowText(window),
      notes: model.notes,
      tables: model.tables,
      charts: model.charts.map((c) => ({ ...chart(c.id, c.option), title: c.title })),
      pager: pager && {
        page: pager.page,
        prevUrl: pager.prev ? path + queryString(values, { page: pager.prev }) : null,
        nextUrl: pager.next ? path + queryString(values, { page: pager.next }) : null,
      },
    });
  }
}
