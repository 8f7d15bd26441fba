import { Injectable } from '@nestjs/common';
import { Metrics } from '../../metrics/metrics';

/** Counts by outcome; rejections by reason (clearlinux.md §1: a rejected record is re-sent for hours). */
@Injectable()
export class ClearLinuxMetrics {
  readonly accepted;
  readonly duplicate;
  readonly rejected;

  constructor(metrics: Metrics) {
    this.accepted = metrics.counter('telemetry_clearlinux_records_accepted_total', 'Clear Linux records accepted (201)');
    this.duplicate = metrics.counter('telemetry_clearlinux_records_duplicate_total', 'Clear Linux records answered as duplicates (200)');
    this.rejected = metrics.counter('telemetry_clearlinux_records_rejected_total', 'Clear Linux records rejected, by reason', ['reason']);
  }
}
