import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../../../database/database';
import { FUEL_CONFIG, FuelConfig } from '../fuel.config';
import type { FuelReport, ReportContext } from './fuel-report';
import type { ConsoleReport } from './report-registry';
import type { ReportView } from './report-view';
import type { ReportQuery } from './report-window';

/**
 * Runs the registered Fuel reports with the privacy floor of fuelstats.md §6.0 (`REPORT_MIN_INSTALLATIONS`), for the JSON
 * API and the console. A report that declares a cache keeps its answers here, per running instance.
 */
@Injectable()
export class FuelReports {
  private readonly floor: number;
  private readonly cached = new Map<string, { at: number; answer: object }>();

  constructor(
    private readonly db: Database,
    @Inject(FUEL_CONFIG) config: FuelConfig,
  ) {
    this.floor = config.reportMinInstallations;
  }

  async answer(report: FuelReport, query: ReportQuery): Promise<object> {
    const { cache } = report;
    if (!cache) return report.answer(this.context(query));
    const key = `${report.name}\u0000${cache.key(query)}`;
    const hit = this.cached.get(key);
    const now = Date.now();
    if (hit && !cache.bypass(query) && now - hit.at < cache.ttlMs) return hit.answer;
    const answer = await report.answer(this.context(query));
    this.cached.set(key, { at: now, answer });
    return answer;
  }

  page(report: ConsoleReport, query: ReportQuery): Promise<ReportView> {
    return report.console.page(this.context(query));
  }

  private context(query: ReportQuery): ReportContext {
    return { db: this.db, query, floor: this.floor };
  }
}
