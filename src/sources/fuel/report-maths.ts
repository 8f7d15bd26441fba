/**
 * Pure report computations of spec §6 (R2, R5, R6). Rows come from the projections; nothing here
 * touches the database, so every number is unit-testable by hand.
 */

/** §6.0: ISO 8601 with `T` or space, optional fraction, no zone → UTC; integer microseconds or null. */
export function parseNaiveUtcMicros(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((p) => (p === undefined ? 0 : Number(p)));
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return ms * 1000 + Number((m[7] ?? '').padEnd(6, '0') || '0');
}

/** Maps ordered by count desc, then key (§6.0). */
export function orderedCounts(counts: ReadonlyMap<string, number>): Record<string, number> {
  const entries = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(entries);
}

export function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

// ---------------------------------------------------------------- R6 node roles
export type NodeRolesRow = Readonly<{ roles: readonly unknown[] }>;
export type NodeRolesReport = Readonly<{
  by_role: Record<string, number>;
  by_combination: Record<string, number>;
  combined_nodes: number;
  total_nodes: number;
}>;

export function roleSet(roles: readonly unknown[]): string[] {
  return [...new Set(roles.filter((r): r is string => typeof r === 'string' && r !== ''))].sort();
}

export function nodeRolesReport(nodes: readonly NodeRolesRow[]): NodeRolesReport {
  const byRole = new Map<string, number>();
  const byCombination = new Map<string, number>();
  let combined = 0;
  for (const n of nodes) {
    const set = roleSet(n.roles);
    if (set.length === 0) {
      bump(byRole, 'unassigned');
      bump(byCombination, 'unassigned');
      continue;
    }
    for (const r of set) bump(byRole, r);
    bump(byCombination, set.join('+'));
    if (set.length >= 2) combined++;
  }
  return { by_role: orderedCounts(byRole), by_combination: orderedCounts(byCombination), combined_nodes: combined, total_nodes: nodes.length };
}

// ---------------------------------------------------------------- R5 failures before success
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

export function failuresBeforeSuccessReport(attempts: readonly AttemptRow[]): FailuresReport {
  const byEnv = new Map<string, { end: number; id: number; ok: boolean }[]>();
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
    list.push({ end, id: a.external_id, ok: a.ended_with_status === 'ready' });
    byEnv.set(env, list);
  }
  const distribution = new Map<string, number>(DISTRIBUTION_BUCKETS.map((b) => [b, 0]));
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
    bump(distribution, first >= 5 ? '5+' : String(first));
  }
  return {
    environments_with_success: withSuccess,
    average_failures_before_success: withSuccess === 0 ? null : round6(failuresSum / withSuccess),
    distribution: Object.fromEntries(distribution),
    environments_never_succeeded: never,
    failed_attempts_total: failedTotal,
    unparseable,
  };
}

// ---------------------------------------------------------------- R2 deployment time
export type TaskRow = Readonly<{ release: string | null; action_name: string | null; start_timestamp: unknown; end_timestamp: unknown }>;
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

/** Groups by the installation's Fuel release plus `all`; tasks whose timestamps do not parse are counted apart. */
export function deploymentTimeReport(deploys: readonly TaskRow[], phases: readonly TaskRow[]): DeploymentTimeReport {
  let unparseable = 0;
  const group = (rows: readonly TaskRow[]): Record<string, DurationStats> => {
    const byGroup = new Map<string, number[]>();
    for (const r of rows) {
      const start = parseNaiveUtcMicros(r.start_timestamp);
      const end = parseNaiveUtcMicros(r.end_timestamp);
      if (start === null || end === null) {
        unparseable++;
        continue;
      }
      const seconds = (end - start) / 1e6;
      for (const g of ['all', r.release ?? 'unknown']) byGroup.set(g, [...(byGroup.get(g) ?? []), seconds]);
    }
    const keys = [...byGroup.keys()].sort((a, b) => (a === 'all' ? -1 : b === 'all' ? 1 : a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(keys.map((k) => [k, durationStats(byGroup.get(k)!)]));
  };
  return {
    deploy: group(deploys),
    phases: { provision: group(phases.filter((p) => p.action_name === 'provision')), deployment: group(phases.filter((p) => p.action_name === 'deployment')) },
    unparseable,
  };
}

export function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
