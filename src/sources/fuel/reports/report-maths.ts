/**
 * Pure pieces shared by the fuelstats.md §6 reports: timestamps, ordered counts, the fuelstats.md §6.0 privacy floor. Nothing here
 * touches the database, so every number is unit-testable by hand.
 */

/** fuelstats.md §6.0: ISO 8601 with `T` or space, optional fraction, no zone → UTC; integer microseconds or null. */
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

/** Maps ordered by count desc, then key (fuelstats.md §6.0). */
export function orderedCounts(counts: ReadonlyMap<string, number>): Record<string, number> {
  const entries = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(entries);
}

export function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

// ---------------------------------------------------------------- fuelstats.md §6.0 privacy floor
/** Where buckets backed by too few installations go (fuelstats.md §6.0 `REPORT_MIN_INSTALLATIONS`). */
export const OTHER = 'other';

/** A bucket's value and the distinct installations behind it. */
export type Backed<V> = { value: V; installations: Set<string> };

/**
 * fuelstats.md §6.0 privacy floor: buckets backed by at least one but fewer than `floor` installations are combined, with
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

/** The counts after the privacy floor, ordered by count desc, then key (fuelstats.md §6.0). */
export function flooredCounts(t: Tally, floor: number): Record<string, number> {
  const merged = applyFloor(t, floor, (a = 0, b) => a + b);
  return orderedCounts(new Map([...merged].map(([k, g]) => [k, g.value])));
}

/** fuelstats.md §6 R1/R3 and fuelstats.md §5.7: only these clusters count as deployed environments. */
export const DEPLOYED_STATUSES: readonly string[] = ['operational', 'error'];
export const isDeployed = (status: string | null): boolean => status !== null && DEPLOYED_STATUSES.includes(status);

/** Trimmed text, or null when empty or not a string. */
export const text = (v: string | null | undefined): string | null => {
  const t = typeof v === 'string' ? v.trim() : '';
  return t === '' ? null : t;
};

export function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
