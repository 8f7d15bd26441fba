import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InvalidInput } from '../../common/errors';
import { deploymentTimeReport, failuresBeforeSuccessReport, nodeRolesReport } from './report-maths';
import { ReportWindow, ReportsRepository } from './reports.repository';

const DAY_MS = 86_400_000;

/** §5.0/§6.0 date parameters: YYYY-MM-DD, defaults today−90 … today (UTC). Pure. */
export function reportWindow(q: Readonly<Record<string, unknown>>, now = Date.now()): ReportWindow {
  const day = (name: 'from_date' | 'to_date', fallback: number): string => {
    const v = q[name];
    if (v === undefined || v === '') return new Date(fallback).toISOString().slice(0, 10);
    const text = String(v);
    const d = new Date(`${text}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text) {
      throw new InvalidInput(`Date '${name}' value in wrong format. Use format: %Y-%m-%d`, 'date');
    }
    return text;
  };
  const from = day('from_date', now - 90 * DAY_MS);
  const to = day('to_date', now);
  if (from > to) throw new InvalidInput(`'from_date' ${from} is after 'to_date' ${to}`, 'date');
  const release = typeof q.release === 'string' && q.release !== '' ? q.release : null;
  return { from, to, release };
}

function envelope(w: ReportWindow, installations: number) {
  return { from_date: w.from, to_date: w.to, release: w.release, population: { installations } };
}

/** Seed reports R2, R5, R6 (spec §6); protected like every read API (admin credential). */
@ApiTags('fuel reports')
@ApiBearerAuth()
@Controller('api/v1/json/report')
export class ReportsController {
  constructor(private readonly repo: ReportsRepository) {}

  @Get('node_roles')
  @ApiOperation({ summary: 'R6 node roles incl. combined roles (spec §6)' })
  @ApiQuery({ name: 'node_status', required: false, description: '"any" lifts the status=ready filter' })
  @ApiOkResponse({ description: '{from_date,to_date,release,population,by_role,by_combination,combined_nodes,total_nodes}' })
  async nodeRoles(@Query() q: Record<string, string>) {
    const w = reportWindow(q);
    const [installations, nodes] = await Promise.all([this.repo.windowedInstallations(w), this.repo.nodes(w, q.node_status === 'any')]);
    return { ...envelope(w, installations), ...nodeRolesReport(nodes) };
  }

  @Get('deployment_failures')
  @ApiOperation({ summary: 'R5 failed deployment attempts before the first success, per environment (spec §6)' })
  async deploymentFailures(@Query() q: Record<string, string>) {
    const w = reportWindow(q);
    const [installations, attempts] = await Promise.all([this.repo.populationInstallations(w), this.repo.attempts(w)]);
    return { ...envelope(w, installations), ...failuresBeforeSuccessReport(attempts) };
  }

  @Get('deployment_time')
  @ApiOperation({ summary: 'R2 deployment duration of successful deploy tasks, with provision/deployment phases (spec §6)' })
  async deploymentTime(@Query() q: Record<string, string>) {
    const w = reportWindow(q);
    const [installations, tasks] = await Promise.all([this.repo.populationInstallations(w), this.repo.tasks(w)]);
    const deploys = tasks.filter((t) => t.top_level && t.action_name === 'deploy');
    const phases = tasks.filter((t) => !t.top_level && t.action_name !== 'deploy');
    return { ...envelope(w, installations), ...deploymentTimeReport(deploys, phases) };
  }
}
