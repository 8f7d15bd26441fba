import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../../../console/render';
import { OSWL_CSV_TYPES } from '../exports/export-columns';
import { CONSOLE_REPORTS } from './report-registry';
import { reportWindow } from './report-window';
import { FuelReports } from './reports.service';
import { queryString } from '../../../common/http-input';
import { RequiresRole } from '../../../auth/roles';

export const FUEL_REPORTS_CONSOLE_PATH = '/console/fuel/reports';

/** Fuel analytics (spec fuelstats.md §6): one report at a time as a chart and tables; date range and release in the URL. */
@ApiExcludeController()
@RequiresRole('viewer')
@Controller('console/fuel')
export class ReportsConsoleController {
  constructor(private readonly reports: FuelReports) {}

  @Get('reports')
  async page(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const q = (request.query ?? {}) as Record<string, string>;
    const report = CONSOLE_REPORTS.find((r) => r.name === q.report) ?? CONSOLE_REPORTS[0];
    const name = report.name;
    const w = reportWindow(q);
    const view = await this.reports.page(report, q);
    const range = { from_date: w.from, to_date: w.to };
    const keep = { ...range, release: w.release };
    return renderPage(request, reply, { page: 'pages/fuel/reports.hbs', partial: 'partials/_fuel_report.hbs', title: view.title }, {
      nav: 'fuel-reports',
      report: name,
      values: { from_date: w.from, to_date: w.to, release: w.release ?? '' },
      tabs: CONSOLE_REPORTS.map((r) => ({ name: r.name, title: r.console.title, url: FUEL_REPORTS_CONSOLE_PATH + queryString({ report: r.name, ...keep }), current: r === report })),
      view,
      chartJson: JSON.stringify(view.chart),
      exports: [
        { label: 'clusters.csv', url: `/api/v1/csv/clusters${queryString(range)}` },
        { label: 'nodes.csv', url: `/api/v1/csv/nodes${queryString(range)}` },
        { label: 'plugins.csv', url: `/api/v1/csv/plugins${queryString(range)}` },
        ...OSWL_CSV_TYPES.map((t) => ({ label: `${t}.csv`, url: `/api/v1/csv/${t}${queryString(range)}` })),
        { label: 'all CSVs (tar)', url: `/api/v1/csv/all${queryString(range)}` },
        { label: 'installations (JSON)', url: `/api/v1/json/report/installations${queryString({ release: w.release })}` },
        { label: `${name} (JSON)`, url: `/api/v1/json/report/${name}${queryString(keep)}` },
        { label: 'summary (JSON)', url: '/api/v1/json/summary' },
        { label: 'filtered installations (JSON)', url: '/api/v1/json/installation_infos/filtered' },
      ],
    });
  }
}
