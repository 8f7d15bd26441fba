/** R2: duration of successful deployments, with their provision/deployment phases (spec fuelstats.md §6). */
import { ReportEnvelope, seedReport } from './fuel-report';
import { Backed, applyFloor, parseNaiveUtcMicros, round6 } from './report-maths';
import { Cell, ReportView, installationsHeadline } from './report-view';

export const DeploymentTimeReportSql = {
  /** R2: successful tasks; top-level `deploy` or the `provision`/`deployment` sub-tasks. */
  tasks: `
    SELECT a.master_node_uid, i.release, a.action_name, a.body->>'start_timestamp' AS start_timestamp, a.body->>'end_timestamp' AS end_timestamp,
           (a.body->'additional_info'->>'parent_task_id') IS NULL AS top_level
      FROM fuel_action_logs a JOIN fuel_installations i USING (master_node_uid)
     WHERE NOT i.is_filtered AND ($3::text IS NULL OR i.release = $3)
       AND a.action_type = 'nailgun_task' AND a.action_name IN ('deploy', 'provision', 'deployment')
       AND a.body->'additional_info'->>'ended_with_status' = 'ready'
       AND (a.body->>'end_timestamp' !~ '^\\d{4}-\\d{2}-\\d{2}'
            OR substr(a.body->>'end_timestamp', 1, 10) BETWEEN $1::date::text AND $2::date::text)`,
} as const;

export type TaskRow = Readonly<{ master_node_uid: string; release: string | null; action_name: string | null; start_timestamp: unknown; end_timestamp: unknown }>;
export type DurationStats = Readonly<{ count: number; mean_s: number; median_s: number; p90_s: number; min_s: number; max_s: number }>;
export type DeploymentTimeReport = Readonly<{
  deploy: Record<string, DurationStats>;
  phases: Record<'provision' | 'deployment', Record<string, DurationStats>>;
  unparseable: number;
}>;

/** Linear interpolation between closest ranks (numpy's default), so p50 equals the median. */
export function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function durationStats(values: readonly number[]): DurationStats {
  const s = [...values].sort((a, b) => a - b);
  return {
    count: s.length,
    mean_s: round6(s.reduce((a, b) => a + b, 0) / s.length),
    median_s: round6(quantile(s, 0.5)),
    p90_s: round6(quantile(s, 0.9)),
    min_s: s[0],
    max_s: s[s.length - 1],
  };
}

/**
 * Groups by the installation's Fuel release plus `all` (the total, never merged by the privacy floor); tasks
 * whose timestamps do not parse are counted apart.
 */
export function deploymentTimeReport(deploys: readonly TaskRow[], phases: readonly TaskRow[], floor = 1): DeploymentTimeReport {
  let unparseable = 0;
  const group = (rows: readonly TaskRow[]): Record<string, DurationStats> => {
    const all: number[] = [];
    const byRelease = new Map<string, Backed<number[]>>();
    for (const r of rows) {
      const start = parseNaiveUtcMicros(r.start_timestamp);
      const end = parseNaiveUtcMicros(r.end_timestamp);
      if (start === null || end === null) {
        unparseable++;
        continue;
      }
      const seconds = (end - start) / 1e6;
      all.push(seconds);
      const g = byRelease.get(r.release ?? 'unknown') ?? { value: [], installations: new Set<string>() };
      g.value.push(seconds);
      g.installations.add(r.master_node_uid);
      byRelease.set(r.release ?? 'unknown', g);
    }
    if (all.length === 0) return {};
    const releases = applyFloor(byRelease, floor, (a = [], b) => [...a, ...b]);
    const keys = [...releases.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries([['all', durationStats(all)], ...keys.map((k) => [k, durationStats(releases.get(k)!.value)])]);
  };
  return {
    deploy: group(deploys),
    phases: { provision: group(phases.filter((p) => p.action_name === 'provision')), deployment: group(phases.filter((p) => p.action_name === 'deployment')) },
    unparseable,
  };
}
export type DeploymentTimeAnswer = ReportEnvelope & DeploymentTimeReport;

const statsRows = (label: string, groups: Readonly<Record<string, DurationStats>> | undefined): Cell[][] =>
  Object.entries(groups ?? {}).map(([g, s]) => [label, g, s.count, s.mean_s, s.median_s, s.p90_s, s.min_s, s.max_s]);

export function deploymentTimeView(r: Partial<DeploymentTimeAnswer>): ReportView {
  const deploy = r.deploy ?? {};
  return {
    title: 'R2 Average deployment time',
    headline: [
      installationsHeadline(r),
      { label: 'Successful deployments', value: deploy.all?.count ?? 0, key: 'deployments' },
      { label: 'Mean (s)', value: deploy.all?.mean_s ?? null, key: 'mean_s' },
    ],
    chart: { kind: 'bar', title: 'Mean deployment time (s) by Fuel release', labels: Object.keys(deploy), values: Object.values(deploy).map((s) => s.mean_s) },
    tables: [{
      caption: 'Durations (seconds)',
      columns: ['Task', 'Group', 'Count', 'Mean', 'Median', 'P90', 'Min', 'Max'],
      rows: [...statsRows('deploy', deploy), ...statsRows('provision', r.phases?.provision), ...statsRows('deployment', r.phases?.deployment)],
    }],
  };
}

/** Top-level `deploy` tasks, and the `provision`/`deployment` phases below them. */
const splitTasks = (tasks: readonly (TaskRow & { top_level: boolean })[]) => ({
  deploys: tasks.filter((t) => t.top_level && t.action_name === 'deploy'),
  phases: tasks.filter((t) => !t.top_level && t.action_name !== 'deploy'),
});

export const DEPLOYMENT_TIME_REPORT = seedReport({
  name: 'deployment_time',
  title: 'R2 Average deployment time',
  api: { summary: 'R2 deployment duration of successful deploy tasks, with provision/deployment phases (spec fuelstats.md §6)', response: '{…envelope, deploy:{group:{count,mean_s,median_s,p90_s,min_s,max_s}}, phases, unparseable}' },
  population: 'all',
  read: async (db, w) => splitTasks(await db.query<TaskRow & { top_level: boolean }>(DeploymentTimeReportSql.tasks, [w.from, w.to, w.release])),
  compute: ({ deploys, phases }, floor) => deploymentTimeReport(deploys, phases, floor),
  view: deploymentTimeView,
});
