import { Inject, Injectable } from '@nestjs/common';
import { InvalidInput } from '../../../common/errors';
import { FUEL_CONFIG, FuelConfig } from '../fuel.config';
import { ostfReport } from './ostf-report-maths';
import { deploymentTimeReport, failuresBeforeSuccessReport, nodeRolesReport } from './report-maths';
import { ReportWindow, ReportsRepository } from './reports.repository';
import { hardwareReport, osReport, releasesReport } from './structure-report-maths';

const DAY_MS = 86_400_000;
const OSTF_DEFAULT_LIMIT = 50;
const OSTF_MAX_LIMIT = 10_000;

export const REPORT_NAMES = ['os', 'deployment_time', 'releases', 'hardware', 'deployment_failures', 'node_roles', 'ostf'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];
export type ReportQuery = Readonly<Record<string, unknown>>;

/** §5.0/§6.0 date parameters: YYYY-MM-DD, defaults today−90 … today (UTC). Pure. */
export function reportWindow(q: ReportQuery, now = Date.now()): ReportWindow {
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

function limitOf(q: ReportQuery): number {
  if (q.limit === undefined || q.limit === '') return OSTF_DEFAULT_LIMIT;
  const n = Number(q.limit);
  if (!Number.isInteger(n) || n < 1 || n > OSTF_MAX_LIMIT) throw new InvalidInput(`'limit' must be an integer 1…${OSTF_MAX_LIMIT}`, 'limit');
  return n;
}

function envelope(w: ReportWindow, installations: number) {
  return { from_date: w.from, to_date: w.to, release: w.release, population: { installations } };
}

/**
 * The seed reports R1–R7 (spec §6): repository rows through the pure maths, with the privacy floor of §6.0
 * (`REPORT_MIN_INSTALLATIONS`); used by the JSON API and the console.
 */
@Injectable()
export class FuelReports {
  private readonly floor: number;

  constructor(
    private readonly repo: ReportsRepository,
    @Inject(FUEL_CONFIG) config: FuelConfig,
  ) {
    this.floor = config.reportMinInstallations;
  }

  run(name: ReportName, q: ReportQuery): Promise<Record<string, unknown>> {
    const w = reportWindow(q);
    return this[name](w, q);
  }

  private async os(w: ReportWindow) {
    const [installations, clusters, nodes] = await Promise.all([this.repo.windowedInstallations(w), this.repo.clusters(w), this.repo.clusterNodesOs(w)]);
    return { ...envelope(w, installations), ...osReport(clusters, nodes, this.floor) };
  }

  private async deployment_time(w: ReportWindow) {
    const [installations, tasks] = await Promise.all([this.repo.populationInstallations(w), this.repo.tasks(w)]);
    const deploys = tasks.filter((t) => t.top_level && t.action_name === 'deploy');
    const phases = tasks.filter((t) => !t.top_level && t.action_name !== 'deploy');
    return { ...envelope(w, installations), ...deploymentTimeReport(deploys, phases, this.floor) };
  }

  private async releases(w: ReportWindow) {
    const [installations, clusters] = await Promise.all([this.repo.windowedReleases(w), this.repo.clusters(w)]);
    return { ...envelope(w, installations.length), ...releasesReport(installations, clusters, this.floor) };
  }

  private async hardware(w: ReportWindow) {
    const [installations, nodes] = await Promise.all([this.repo.windowedInstallations(w), this.repo.hardware(w)]);
    return { ...envelope(w, installations), ...hardwareReport(nodes, this.floor) };
  }

  private async deployment_failures(w: ReportWindow) {
    const [installations, attempts] = await Promise.all([this.repo.populationInstallations(w), this.repo.attempts(w)]);
    return { ...envelope(w, installations), ...failuresBeforeSuccessReport(attempts, this.floor) };
  }

  private async node_roles(w: ReportWindow, q: ReportQuery) {
    const [installations, nodes] = await Promise.all([this.repo.windowedInstallations(w), this.repo.nodes(w, q.node_status === 'any')]);
    return { ...envelope(w, installations), ...nodeRolesReport(nodes, this.floor) };
  }

  private async ostf(w: ReportWindow, q: ReportQuery) {
    const limit = limitOf(q);
    const [installations, rows] = await Promise.all([this.repo.populationInstallations(w), this.repo.ostfTests(w)]);
    return { ...envelope(w, installations), ...ostfReport(rows, limit, this.floor) };
  }
}
