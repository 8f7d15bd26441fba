import type { Provider } from '@nestjs/common';
import { Env, int } from '../config/env-readers';
import { ENVIRONMENT } from '../config/tokens';

/**
 * The k-anonymity floor of the Clear Linux aggregates (console and API views, plugin views): a group backed
 * by fewer than k distinct machines could single one machine out, so such groups are merged into one
 * "other (n groups)" row — never dropped, so totals still add up. ANALYTICS_MIN_MACHINES, default 5;
 * 1 turns it off. (Fuel reports have their own floor with the same default: REPORT_MIN_INSTALLATIONS.)
 */
export const ANALYTICS_MIN_MACHINES = Symbol('ANALYTICS_MIN_MACHINES');
export const DEFAULT_MIN_MACHINES = 5;

export const analyticsFloorProvider: Provider = {
  provide: ANALYTICS_MIN_MACHINES,
  inject: [ENVIRONMENT],
  useFactory: (env: Env) => loadAnalyticsFloor(env),
};

export function loadAnalyticsFloor(env: Env): number {
  return int(env, 'ANALYTICS_MIN_MACHINES', DEFAULT_MIN_MACHINES, 1, 1_000_000);
}

export const otherGroupsLabel = (groups: number) => `other (${groups} group${groups === 1 ? '' : 's'})`;

export type FloorOptions<R> = Readonly<{
  /** The group a row belongs to (several rows may share one, e.g. the days of a build). */
  key: (r: R) => string;
  /** Rows with nothing in them (a week with no events) identify no one and stay as they are. */
  isEmpty: (r: R) => boolean;
  /** Distinct machines behind each group; a group missing here counts as 0 (merged). */
  machines: ReadonlyMap<string, number>;
  k: number;
  /** The one row that stands for all merged rows, given its label. */
  merge: (label: string, merged: R[]) => R;
}>;

/** Pure: `rows` with every row of a group under k machines replaced by one merged row at the end. */
export function floorGroups<R>(rows: readonly R[], o: FloorOptions<R>): R[] {
  if (o.k <= 1) return [...rows];
  const kept: R[] = [];
  const small: R[] = [];
  for (const r of rows) (o.isEmpty(r) || (o.machines.get(o.key(r)) ?? 0) >= o.k ? kept : small).push(r);
  if (small.length === 0) return kept;
  return [...kept, o.merge(otherGroupsLabel(new Set(small.map(o.key)).size), small)];
}

/** The keys of the groups under k machines (for views that merge several lists by the same groups). */
export function smallGroups(keys: Iterable<string>, machines: ReadonlyMap<string, number>, k: number): Set<string> {
  const out = new Set<string>();
  if (k <= 1) return out;
  for (const key of keys) if ((machines.get(key) ?? 0) < k) out.add(key);
  return out;
}
