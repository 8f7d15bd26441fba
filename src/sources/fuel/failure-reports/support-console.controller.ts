import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Caller } from '../../../auth/caller';
import type { Principal } from '../../../auth/principal';
import { RequiresRole, roleAtLeast } from '../../../auth/roles';
import { formBody, queryString } from '../../../common/http-input';
import { NoStore } from '../../../common/no-store';
import { renderPage } from '../../../console/render';
import { parseReportQuery } from './report-filter';
import { PAGE_SIZE, SupportService } from './support.service';

export const REPORTS_CONSOLE_PATH = '/console/support/failure-reports';

/** Support console: failure reports list (htmx filters in the URL), detail with contact and delivery audit. */
@ApiExcludeController()
@RequiresRole('support')
@NoStore()
@Controller('console/support/failure-reports')
export class SupportConsoleController {
  constructor(private readonly support: SupportService) {}

  @Get()
  async list(@Query() query: Record<string, string>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const q = parseReportQuery(query);
    const rows = await this.support.list(q.filter, q.page);
    const releases = await this.support.releases();
    return renderPage(request, reply, { page: 'pages/support/failure-reports.hbs', partial: 'partials/_failure_reports_table.hbs', title: 'Failure reports' }, {
      nav: 'support',
      values: q.values,
      rows: rows.slice(0, PAGE_SIZE),
      page: q.page,
      releases: releases.map((r) => ({ value: r, selected: r === q.values.release })),
      statuses: ['open', 'acknowledged'].map((s) => ({ value: s, selected: s === q.values.status })),
      notifiedChoices: [{ value: 'true', label: 'with contact (notified)' }, { value: 'false', label: 'without contact' }].map((c) => ({ ...c, selected: c.value === q.values.notified })),
      prevUrl: q.page > 1 ? REPORTS_CONSOLE_PATH + queryString(q.values, { page: q.page - 1 }) : null,
      nextUrl: rows.length > PAGE_SIZE ? REPORTS_CONSOLE_PATH + queryString(q.values, { page: q.page + 1 }) : null,
    });
  }

  @Get(':uuid')
  async detail(@Param('uuid') uuid: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply, @Caller() caller: Principal) {
    const d = await this.support.detail(uuid, caller);
    const context = d.report.context as { cluster?: Record<string, unknown>; error?: Record<string, unknown>; fuelRelease?: Record<string, unknown>; fuelPackages?: string[] } | null;
    return renderPage(request, reply, { page: 'pages/support/failure-report.hbs', title: `Failure report ${d.report.report_uuid}` }, {
      nav: 'support',
      report: d.report,
      contact: d.contact,
      contactError: d.contactError,
      error: context?.error ?? null,
      cluster: context?.cluster ?? null,
      fuelRelease: context?.fuelRelease ?? null,
      fuelPackages: context?.fuelPackages ?? [],
      actionLogJson: JSON.stringify(d.report.action_log, null, 2),
      clusterJson: context?.cluster ? JSON.stringify(context.cluster, null, 2) : null,
      deliveries: d.deliveries,
      // The audit trail is the admins' (GET /api/admin/contact-reads); support sees the contact, not who else read it.
      contactReads: d.contact && roleAtLeast(caller.role, 'admin') ? await this.support.contactReadsOf(d.report.report_uuid, 20) : null,
    });
  }

  @Post(':uuid/acknowledge')
  async acknowledge(@Param('uuid') uuid: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply, @Caller() caller: Principal) {
    await this.support.acknowledge(uuid, caller, formBody(request).get('note'));
    return reply.status(303).header('location', `${REPORTS_CONSOLE_PATH}/${encodeURIComponent(uuid)}`).send();
  }

  @Post(':uuid/assign')
  async assign(@Param('uuid') uuid: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply, @Caller() caller: Principal) {
    await this.support.assign(uuid, formBody(request).get('assignee'), caller);
    return reply.status(303).header('location', `${REPORTS_CONSOLE_PATH}/${encodeURIComponent(uuid)}`).send();
  }
}
