import { InvalidInput } from '../../common/errors';

/**
 * Query parameters of spec submissions-and-nodes.md §B.8. Upstream fell back to defaults for the whole query string when one
 * value failed to parse (silent `[]`); here a bad value is a 400 `{"message": "<param> is invalid"}`.
 */
export type Query = Readonly<Record<string, unknown>>;

const TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$/;

export function optionalString(q: Query, key: string): string | undefined {
  const v = q[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > 1024) throw new InvalidInput(`${key} is invalid`);
  return v;
}

export function requiredString(q: Query, key: string): string {
  const v = optionalString(q, key);
  if (v === undefined) throw new InvalidInput(`${key} is required`);
  return v;
}

export function positiveInt(q: Query, key: string, fallback: number, max: number): number {
  const v = q[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !/^\d{1,10}$/.test(v) || Number(v) < 1 || Number(v) > max) throw new InvalidInput(`${key} is invalid`);
  return Number(v);
}

/** Naive `YYYY-MM-DDTHH:MM:SS[.f]` is UTC; a trailing `Z`/offset is accepted too (DECISION). Returns ISO for Postgres. */
export function optionalTime(q: Query, key: string): string | undefined {
  const v = q[key];
  if (v === undefined) return undefined;
  const m = typeof v === 'string' ? TIME.exec(v) : null;
  if (!m) throw new InvalidInput(`${key} is invalid`);
  const iso = `${m[1]}T${m[2]}${m[3] ?? ''}${m[4] ?? 'Z'}`;
  if (Number.isNaN(Date.parse(`${m[1]}T${m[2]}${m[4] ?? 'Z'}`))) throw new InvalidInput(`${key} is invalid`);
  return iso;
}

/** Naive UTC `YYYY-MM-DDTHH:MM:SS.ffffff`. */
export function naiveUtc(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000');
}
