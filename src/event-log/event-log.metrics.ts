import { Metrics } from '../metrics/metrics';

/** Append accounting shared by both adapters, so dashboards do not depend on the active log. */
export function eventLogMetrics(metrics: Metrics) {
  return {
    appended: metrics.counter('telemetry_event_log_appended_total', 'Events made durable in the event log', ['stream']),
    duplicates: metrics.counter('telemetry_event_log_duplicates_total', 'Appends refused because the event id was already logged', ['stream']),
    failures: metrics.counter('telemetry_event_log_append_failures_total', 'Append batches that failed (answered 503)', ['log']),
    batchSize: metrics.histogram('telemetry_event_log_append_batch_events', 'Events per durable write', [], [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000]),
    latency: metrics.histogram('telemetry_event_log_append_duration_seconds', 'Time from submit to durable', ['log'], [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]),
  };
}
export type EventLogMetrics = ReturnType<typeof eventLogMetrics>;
