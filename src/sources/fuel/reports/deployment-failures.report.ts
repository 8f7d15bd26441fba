/** R5: failed deployment attempts before the first success, per environment (spec fuelstats.md §6). */
import { ReportEnvelope, seedReport } from './fuel-report';
import { OTHER, Tally, applyFloor, parseNaiveUtcMicros, round6, tally } from './report-maths';
import { ReportView, countsChart, countsTable, installationsHeadline } from './report-view';

export const DeploymentFailuresReportSql = {
  /** Top-level cluster_changes attempts (R5); end date filtered in SQL only when it looks like a date. */
  attempts: `
    SELECT a.master_node_uid, a.body->>'cluster_id' AS cluster_id, a.external_id::float8 AS external_id,
           a.body->>'end_timestamp' AS end_timestamp, a.body->'additional_info'->>'ended_with_status' AS ended_with_status
      FROM fuel_action_logs a JOIN fuel_installations i USING (master_node_uid)
     WHERE NOT i.is_filtered AND ($3::text IS NULL OR i.release = $3)
       AND a.action_type = 'nailgun_task' AND a.body->>'action_group' = 'cluster_changes'
       AND a.action_name IN ('deploy', 'provision', 'deployment')
       AND a.body->'additional_info'->>'parent_task_id' IS NULL
       AND a.body->'additional_info'->>'ended_with_status' IN ('ready', 'error')
       AND (a.body->>'end_timestamp' !~ '^\\d{4}-\\d{2}-\\d{2}'
            OR substr(a.body->>'end_timestamp', 1, 10) BETWEEN $1::date::text AND $2::date::text)`,
} as const;

export type AttemptRow = Readonly<{ master_node_uid: string; cluster_id: unknown; external_id: number; end_timestamp: unknown; ended_with_status: unknown }>;
export type FailuresReport = Readonly<{
  environments_with_success: number;
  average_failures_before_success: number | null;
  distribution: Record<string, number>;
  environments_never_succeeded: number;
  failed_attempts_total: number;
  unparseable: number;
}>;

export const DISTRIBUTION_BUCKETS = ['0', '1', '2', '3', '4', '5+'] as const;

export function failuresBeforeSuccessReport(attempts: readonly AttemptRow[], floor = 1): FailuresReport {
  const byEnv = new Map<string, { uid: string; end: number; id: number; ok: boolean }[]>();
  let unparseable = 0;
  for (const a of attempts) {
    if (a.ended_with_status !== 'ready' && a.ended_with_status !== 'error') continue;
    const end = parseNaiveUtcMicros(a.end_timestamp);
    if (end === null) {
      unparseable++;
      continue;
    }
    const env = JSON.stringify([a.master_node_uid, a.cluster_id ?? null]);
    const list = byEnv.get(env) ?? [];
    list.push({ uid: a.master_node_uid, end, id: a.external_id, ok: a.ended_with_status === 'ready' });
    byEnv.set(env, list);
  }
  const distribution: Tally = new Map(DISTRIBUTION_BUCKETS.map((b) => [b, { value: 0, installations: new Set<string>() }]));
  let withSuccess = 0;
  let never = 0;
  let failedTotal = 0;
  let failuresSum = 0;
  for (const list of byEnv.values()) {
    list.sort((x, y) => x.end - y.end || x.id - y.id);
    failedTotal += list.filter((x) => !x.ok).length;
    const first = list.findIndex((x) => x.ok);
    if (first < 0) {
      never++;
      continue;
    }
    withSuccess++;
    failuresSum += first;
    tally(distribution, first >= 5 ? '5+' : String(first), list[0].uid);
  }
  // Buckets keep their natural order ("0" … "5+", then "other"), not count order.
  const floored = applyFloor(distribution, floor, (a = 0, b) => a + b);
  return {
    environments_with_success: withSuccess,
    average_failures_before_success: withSuccess === 0 ? null : round6(failuresSum / withSuccess),
    distribution: Object.fromEntries([...DISTRIBUTION_BUCKETS, OTHER].filter((b) => floored.has(b)).map((b) => [b, floored.get(b)!.value])),
    environments_never_succeeded: never,
    failed_attempts_total: failedTotal,
    unparseable,
  };
}
export type DeploymentFailuresAnswer = ReportEnvelope & FailuresReport;

export function deploymentFailuresView(r: Partial<DeploymentFailuresAnswer>): ReportView {
  return {
    title: 'R5 Failures before success',
    headline: [
      installationsHeadline(r),
      { label: 'Environments with a success', value: r.environments_with_success ?? null, key: 'environments_with_success' },
      { label: 'Average failures before success', value: r.average_failures_before_success ?? null, key: 'average_failures_before_success' },
      { label: 'Never succeeded', value: r.environments_never_succeeded ?? null, key: 'environments_never_succeeded' },
    ],
    chart: countsChart('Environments by failed attempts before the first success', r.distribution),
    tables: [countsTable('Distribution', 'Failures before success', 'Environments', r.distribution)],
  };
}

export const DEPLOYMENT_FAILURES_REPORT = seedReport({
  name: 'deployment_failures',
  title: 'R5 Failures before success',
  api: { summary: 'R5 failed deployment attempts before the first success, per environment (spec fuelstats.md §6)', response: '{…envelope, environments_with_success, average_failures_before_success, distribution, environments_never_succeeded, failed_attempts_total, unparseable}' },
  population: 'all',
  read: (db, w) => db.query<AttemptRow>(DeploymentFailuresReportSql.attempts, [w.from, w.to, w.release]),
  compute: (attempts, floor) => failuresBeforeSuccessReport(attempts, floor),
  view: deploymentFailuresView,
});
