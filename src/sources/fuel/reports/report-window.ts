import { InvalidInput } from '../../../common/errors';

const DAY_MS = 86_400_000;

/** Query parameters of a report or export, as Fastify hands them over. */
export type ReportQuery = Readonly<Record<string, unknown>>;
/** fuelstats.md §5.0 date window (YYYY-MM-DD, both ends included) and optional Fuel release. */
export type ReportWindow = Readonly<{ from: string; to: string; release: string | null }>;

/** fuelstats.md §5.0/§6.0 date parameters: YYYY-MM-DD, defaults today−90 … today (UTC). Pure. */
export function reportWindow(q: ReportQuery, now = Date.now()): ReportWindow {
  const day = (name: 'from_date' | 'to_date', fallback: number): string => {
    const v = q[name];
    if (v === undefined || v === '') return new Date(fallback).toISOString().slice(0, 10);
    const text = String(v);
    const d = new Date(`${text}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text) {
      throw new InvalidInput(`Date '${name}' value in wrong format. Use format: %Y-%m-%d`, 'date');
    }
    return text;
  };
  const from = day('from_date', now - 90 * DAY_MS);
  const to = day('to_date', now);
  if (from > to) throw new InvalidInput(`'from_date' ${from} is after 'to_date' ${to}`, 'date');
  const release = typeof q.release === 'string' && q.release !== '' ? q.release : null;
  return { from, to, release };
}
