import { Injectable } from '@nestjs/common';
import { Metrics } from '../../metrics/metrics';
import { RemovalCounts, SanitiseRule } from './intake/sanitiser';

/** Counts only (fuelstats.md §3.6: never the removed values). */
@Injectable()
export class FuelMetrics {
  private readonly sanitised;
  private readonly records;

  constructor(metrics: Metrics) {
    this.sanitised = metrics.counter('telemetry_fuel_sanitised_keys_total', 'Keys removed from Fuel submissions by sanitising rule', ['rule']);
    this.records = metrics.counter('telemetry_fuel_records_total', 'Fuel collector records by resource and per-record status', ['resource', 'status']);
  }

  countRemovals(removed: RemovalCounts): void {
    for (const [rule, n] of Object.entries(removed) as [SanitiseRule, number][]) if (n > 0) this.sanitised.inc({ rule }, n);
  }

  countStatuses(resource: string, statuses: readonly { status: string }[]): void {
    for (const s of statuses) this.records.inc({ resource, status: s.status });
  }
}
