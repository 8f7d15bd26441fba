/**
 * Pure time and build arithmetic for the views (all UTC). Week numbering: the MCE view uses upstream's
 * Sunday-based week of year (`%U`, spec clearlinux.md §8.5); the Thermal view uses ISO-8601 weeks (the simplification
 * clearlinux.md §8.6 allows), labelled `YYYY-Www` on the page.
 */
const DAY_MS = 86_400_000;

/** `%U`: week of the year (00–53), weeks start on Sunday; days before the first Sunday are week 0. */
export function sundayWeekOfYear(date: Date): number {
  const yday = Math.floor((Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY_MS);
  return Math.floor((yday + 7 - date.getUTCDay()) / 7);
}

/** `YYYY-Www` of the ISO week containing `date` (ISO week-numbering year). */
export function isoWeekLabel(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const dow = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dow); // the Thursday of this week decides the year
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1)) / DAY_MS + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday 00:00 UTC of the ISO week containing `date`. */
export function isoWeekStart(date: Date): Date {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d;
}

/** Starts of the last `n` ISO weeks including the current one, oldest first. */
export function lastIsoWeeks(now: Date, n: number): Date[] {
  const current = isoWeekStart(now).getTime();
  return Array.from({ length: n }, (_, i) => new Date(current - (n - 1 - i) * 7 * DAY_MS));
}

/** 1 January 00:00 UTC of `now`'s year (MCE window, clearlinux.md §8.5: UTC, not server local time). */
export function startOfYear(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), 0, 1));
}

/** `now − days × 86400 s` (clearlinux.md §8.8 "capture time > now − N d"). */
export function windowStart(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);

/** Builds that are whole numbers (`^[0-9]+$`, clearlinux.md §8.2) go on the integer axis; others are listed apart. */
export const INTEGER_BUILD = /^[0-9]+$/;

/** Integer builds ascending by value, then the others by text (clearlinux.md §8.5 "numeric builds numerically, others after"). */
export function compareBuilds(a: string, b: string): number {
  const ai = INTEGER_BUILD.test(a);
  const bi = INTEGER_BUILD.test(b);
  if (ai && bi) {
    const d = BigInt(a) - BigInt(b);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }
  if (ai !== bi) return ai ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Splits rows by build into the integer axis (ascending) and the rest (by text). */
export function splitBuilds<T extends { build: string }>(rows: readonly T[]): { integer: T[]; other: T[] } {
  const sorted = [...rows].sort((x, y) => compareBuilds(x.build, y.build));
  return { integer: sorted.filter((r) => INTEGER_BUILD.test(r.build)), other: sorted.filter((r) => !INTEGER_BUILD.test(r.build)) };
}

/** Descending by count, ties by name ascending (clearlinux.md §8.3). */
export function byCountThenName<T extends { name: string; records: number }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => b.records - a.records || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
