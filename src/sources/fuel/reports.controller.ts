import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InvalidInput } from '../../common/errors';
import { ostfReport } from './ostf-report-maths';
import { deploymentTimeReport, failuresBeforeSuccessReport, nodeRolesReport } from './report-maths';
import { hardwareReport, osReport, releasesReport } from './structure-report-maths';
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

const OSTF_DEFAULT_LIMIT = 50;
const OSTF_MAX_LIMIT = 10_000;

function limitOf(q: Readonly<Record<string, unknown>>): number {
  if (q.limit === undefined || q.limit === '') return OSTF_DEFAULT_LIMIT;
  const n = Number(q.limit);
  if (!Number.isInteger(n) || n < 1 || n > OSTF_MAX_LIMIT) throw new InvalidInput(`'limit' must be an integer 1…${OSTF_MAX_LIMIT}`, 'limit');
  return n;
}

/** Seed reports R1–R7 (spec §6); protected like every read API (admin credential). */
@ApiTags('fuel reports')
@ApiBearerAuth()
@ApiQuery({ name: 'from_date', required: false, description: 'YYYY-MM-DD, default today−90 days' })
@ApiQuery({ name: 'to_date', required: false, description: 'YYYY-MM-DD, default today' })
@ApiQuery({ name: 'release', required: false, description: 'Fuel release of the installation, e.g. 9.0' })
@Controller('api/v1/json/report')
export class ReportsController {
  constructor(private readonly repo: ReportsRepository) {}

  @Get('os')
  @ApiOperation({ summary: 'R1 OS distribution of operational/error environments and their nodes (spec §6)' })
  @ApiOkResponse({ description: '{…envelope, environments:{os:n}, nodes:{os:n}, total_environments}' })
  async os(@Query() q: Record<string, string>) {
    const w = reportWindow(q);
    const [installations, clusters, nodes] = await Promise.all([this.repo.windowedInstallations(w), this.repo.clusters(w), this.repo.clusterNodesOs(w)]);
    return { ...envelope(w, installations), ...osReport(clusters, nodes) };
  }

  @Get('releases')
  @ApiOperation({ summary: 'R3 Fuel releases of installations, OpenStack releases of deployed environments (spec §6)' })
  @ApiOkResponse({ description: '{…envelope, fuel_releases:{release:n}, openstack_releases:{version:{environments,name}}}' })
  async releases(@Query() q: Record<string, string>) {
    const w = reportWindow(q);
    const [installations, clusters] = await Promise.all([this.repo.windowedReleases(w), this.repo.clusters(w)]);
    return { ...envelope(w, installations.length), ...releasesReport(installations, clusters) };
  }

  @Get('hardware')
  @ApiOperation({ summary: 'R4 node hardware by manufacturer and model, virtual vs bare metal (spec §6)' })
  @ApiOkResponse({ description: '{…envelope, by_manufacturer, by_model, virtual, bare_metal}' })
  async hardware(@Query() q: Record<string, string>) {
    const w = reportWindow(q);
    const [installations, nodes] = await Promise.all([this.repo.windowedInstallations(w), this.repo.hardware(w)]);
    return { ...envelope(w, installations), ...hardwareReport(nodes) };
  }

  @Get('ostf')
  @ApiOperation({ summary: 'R7 health-check (OSTF) failure rate per test vs total runs (spec §6)' })
  @ApiQuery({ name: 'limit', required: false, description: 'tests listed, default 50' })
  @ApiOkResponse({ description: '{…envelope, tests:[{id,testset,runs,failures,failure_rate,installations}], total_runs, unparseable}' })
  async ostf(@Query() q: Record<string, string>) {
    const w = reportWindow(q);
    const limit = limitOf(q);
    const [installations, rows] = await Promise.all([this.repo.populationInstallations(w), this.repo.ostfTests(w)]);
    return { ...envelope(w, installations), ...ostfReport(rows, limit) };
  }

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
