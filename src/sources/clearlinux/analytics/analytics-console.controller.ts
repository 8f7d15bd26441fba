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
import { csvText } from '../../../common/csv';
import { NotFound } from '../../../common/errors';
import { RequiresRole } from '../../../auth/roles';
import { showsRawMachineIds } from '../machine-ids/machine-ids';


type ViewName = 'builds' | 'stats' | 'mce' | 'thermal' | 'population';
const TITLES: Record<ViewName, string> = { builds: 'Builds', stats: 'Stats', mce: 'MCE', thermal: 'Thermal', population: 'Population' };

/** Console pages for the Clear Linux analytics views; filters in the URL, htmx swaps #analytics-body. */
@ApiExcludeController()
@RequiresRole('viewer')
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
      const v = await this.query.mce(f, new Date(), page, showsRawMachineIds(req));
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

  /**
   * The view's tables as CSV (the link beside "Same data as JSON"), same filters as the page: `?table=<id>`
   * gives one table with its header row; without it every table follows as a section (title row, header
   * row, rows, blank line). Cells go through csvText, so client-sent text cannot become a formula.
   */
  @RequiresRole('analyst')
  @Get(['builds.csv', 'stats.csv', 'mce.csv', 'thermal.csv', 'population.csv'])
  async csv(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const view = /\/([a-z]+)\.csv(?:\?|$)/.exec(req.url)![1] as ViewName;
    const query = queryOf(req.url);
    const only = query.get('table') ?? undefined;
    query.delete('table');
    const { filter } = parseAnalyticsFilter(query);
    const model = await this.model(view, filter, parsePage(query), showsRawMachineIds(req));
    const tables = only ? model.tables.filter((t) => t.id === only) : model.tables;
    if (only && tables.length === 0) throw new NotFound(`no table ${only} in ${view}`, 'not_found');
    const body = only
      ? csvText([tables[0].columns, ...tables[0].rows])
      : tables.map((t) => csvText([[t.title], t.columns, ...t.rows, []])).join('');
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="clearlinux-${view}${only ? `-${only}` : ''}.csv"`)
      .send(body);
  }

  private model(view: ViewName, f: ReturnType<typeof parseAnalyticsFilter>['filter'], page: number, showRawMachineIds: boolean): Promise<ViewModel> {
    const now = new Date();
    switch (view) {
      case 'builds':
        return this.query.builds(f).then(presentBuilds);
      case 'stats':
        return this.query.stats(f).then(presentStats);
      case 'mce':
        return this.query.mce(f, now, page, showRawMachineIds).then(presentMce);
      case 'thermal':
        return this.query.thermal(f, now).then(presentThermal);
      case 'population':
        return this.query.population(f, now).then(presentPopulation);
    }
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
      csvUrl: `${path}.csv${queryString(values, pager ? { page: pager.page } : {})}`,
      windowText: windowText(window),
      notes: model.notes,
      tables: model.tables.map((t) => ({ ...t, csvUrl: `${path}.csv${queryString(values, { table: t.id, ...(pager ? { page: pager.page } : {}) })}` })),
      charts: model.charts.map((c) => ({ ...chart(c.id, c.option), title: c.title })),
      pager: pager && {
        page: pager.page,
        prevUrl: pager.prev ? path + queryString(values, { page: pager.prev }) : null,
        nextUrl: pager.next ? path + queryString(values, { page: pager.next }) : null,
      },
    });
  }
}
