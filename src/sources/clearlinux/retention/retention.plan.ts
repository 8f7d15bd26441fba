import { escapeLike, LIKE_ESCAPE } from '../record/classification';
import type { PurgeConfig, PurgeField } from '../clearlinux.config';

/** One delete of the purge (spec clearlinux.md §10), as data: what it matches and how old the rows must be. */
export type PurgeStep =
  | Readonly<{ kind: 'filtered'; field: PurgeField; value: string; days: number }>
  | Readonly<{ kind: 'unfiltered'; days: number; exclude: readonly Readonly<{ field: PurgeField; value: string }>[] }>;

export type PurgeRecord = Readonly<{ severity: number; classification: string; machine_id: string; ageDays: number }>;

/**
 * Pure (clearlinux.md §10): step 1, each (field, value, days > 0) deletes matching records older than `days`;
 * step 2, if max_days_keep_unfiltered > 0, records older than that matching NO configured value of
 * any field (0-day values included: they protect) are deleted.
 */
export function purgePlan(config: PurgeConfig): PurgeStep[] {
  if (!config.enabled) return [];
  const steps: PurgeStep[] = [];
  const configured: { field: PurgeField; value: string }[] = [];
  for (const [field, values] of Object.entries(config.filtered) as [PurgeField, Record<string, number>][]) {
    for (const [value, days] of Object.entries(values)) {
      configured.push({ field, value });
      if (days > 0) steps.push({ kind: 'filtered', field, value, days });
    }
  }
  if (config.maxDaysKeepUnfiltered > 0) steps.push({ kind: 'unfiltered', days: config.maxDaysKeepUnfiltered, exclude: configured });
  return steps;
}

/** Whether a value matches a configured one (classification values may end in `*`, "any suffix"). */
export function matchesValue(field: PurgeField, value: string, record: PurgeRecord): boolean {
  if (field === 'severity') return String(record.severity) === value;
  if (field === 'machine_id') return record.machine_id === value;
  if (value.endsWith('*')) return record.classification.startsWith(value.slice(0, -1));
  return record.classification === value;
}

/** In-memory evaluation of a plan: the reference semantics the SQL must agree with (unit-tested). */
export function wouldDelete(steps: readonly PurgeStep[], record: PurgeRecord): boolean {
  return steps.some((s) =>
    s.kind === 'filtered'
      ? record.ageDays > s.days && matchesValue(s.field, s.value, record)
      : record.ageDays > s.days && !s.exclude.some((e) => matchesValue(e.field, e.value, record)),
  );
}

/** SQL for one step (ages on reception time, clearlinux.md §10). `now` is explicit so tests can move the clock. */
export function purgeStatement(step: PurgeStep, now: Date): { sql: string; params: unknown[] } {
  const params: unknown[] = [now.toISOString(), step.days];
  const p = (v: unknown) => `$${params.push(v)}`;
  const older = `ts_reception < $1::timestamptz - make_interval(days => $2::int)`;
  if (step.kind === 'filtered') return { sql: `DELETE FROM records WHERE ${older} AND ${matchSql(step.field, step.value, p)}`, params };
  const none = step.exclude.map((e) => matchSql(e.field, e.value, p));
  return { sql: `DELETE FROM records WHERE ${older}${none.length ? ` AND NOT (${none.join(' OR ')})` : ''}`, params };
}

function matchSql(field: PurgeField, value: string, p: (v: unknown) => string): string {
  if (field === 'severity') return /^[0-9]+$/.test(value) ? `severity = ${p(Number(value))}` : 'false';
  if (field === 'machine_id') return `machine_id = ${p(value)}`;
  if (!value.endsWith('*')) return `classification = ${p(value)}`;
  return `classification LIKE ${p(`${escapeLike(value.slice(0, -1))}%`)} ESCAPE '${LIKE_ESCAPE}'`;
}
