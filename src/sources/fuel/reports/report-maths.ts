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

// ---------------------------------------------------------------- §6.0 privacy floor
/** Where buckets backed by too few installations go (§6.0 `REPORT_MIN_INSTALLATIONS`). */
export const OTHER = 'other';

/** A bucket's value and the distinct installations behind it. */
export type Backed<V> = { value: V; installations: Set<string> };

/**
 * §6.0 privacy floor: buckets backed by at least one but fewer than `floor` installations are combined, with
 * any bucket already called "other", into "other". `floor` ≤ 1 (the default) leaves every bucket as it is.
 */
export function applyFloor<V>(groups: ReadonlyMap<string, Backed<V>>, floor: number, combine: (other: V | undefined, merged: V) => V): Map<string, Backed<V>> {
  if (floor <= 1) return new Map(groups);
  const kept = new Map<string, Backed<V>>();
  let other: Backed<V> | undefined;
  for (const [key, g] of groups) {
    if (key !== OTHER && (g.installations.size === 0 || g.installations.size >= floor)) kept.set(key, g);
    else other = { value: combine(other?.value, g.value), installations: new Set([...(other?.installations ?? []), ...g.installations]) };
  }
  if (other !== undefined) kept.set(OTHER, other);
  return kept;
}

/** Counts that remember which installations they came from. */
export type Tally = Map<string, Backed<number>>;

export function tally(t: Tally, key: string, installation: string, by = 1): void {
  const g = t.get(key) ?? { value: 0, installations: new Set<string>() };
  g.value += by;
  g.installations.add(installation);
  t.set(key, g);
}

/** The counts after the privacy floor, ordered by count desc, then key (§6.0). */
export function flooredCounts(t: Tally, floor: number): Record<string, number> {
  const merged = applyFloor(t, floor, (a = 0, b) => a + b);
  return orderedCounts(new Map([...merged].map(([k, g]) => [k, g.value])));
}

// ---------------------------------------------------------------- R6 node roles
export type NodeRolesRow = Readonly<{ master_node_uid: string; roles: readonly unknown[] }>;
export type NodeRolesReport = Readonly<{
  by_role: Record<string, number>;
  by_combination: Record<string, number>;
  combined_nodes: number;
  total_nodes: number;
}>;

export function roleSet(roles: readonly unknown[]): string[] {
  return [...new Set(roles.filter((r): r is string => typeof r === 'string' && r !== ''))].sort();
}

export function nodeRolesReport(nodes: readonly NodeRolesRow[], floor = 1): NodeRolesReport {
  const byRole: Tally = new Map();
  const byCombination: Tally = new Map();
  let combined = 0;
  for (const n of nodes) {
    const set = roleSet(n.roles);
    if (set.length === 0) {
      tally(byRole, 'unassigned', n.master_node_uid);
      tally(byCombination, 'unassigned', n.master_node_uid);
      continue;
    }
    for (const r of set) tally(byRole, r, n.master_node_uid);
    tally(byCombination, set.join('+'), n.master_node_uid);
    if (set.length >= 2) combined++;
  }
  return { by_role: flooredCounts(byRole, floor), by_combination: flooredCounts(byCombination, floor), combined_nodes: combined, total_nodes: nodes.length };
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

// ---------------------------------------------------------------- R2 deployment time
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

export function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
