import { InvalidInput } from '../../../common/errors';

/** Filters every analytics view and API takes from the query string (reflected in the URL). */
export type AnalyticsFilter = Readonly<{
  /** Inclusive start, UTC midnight, `YYYY-MM-DD`. */
  from?: string;
  /** Exclusive end, UTC midnight, `YYYY-MM-DD`. */
  to?: string;
  /** Exact build (quotes removed, like /api/records). */
  build?: string;
}>;

/** The same filter as query-string values, for form fields and links. */
export type FilterValues = Readonly<{ from: string; to: string; build: string }>;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Pure: first value wins, empty = absent, a bad value is a 400 naming the parameter. */
export function parseAnalyticsFilter(query: URLSearchParams): { filter: AnalyticsFilter; values: FilterValues } {
  const get = (name: string) => {
    const v = query.get(name);
    return v === null || v.trim() === '' ? undefined : v.trim();
  };
  const from = get('from');
  const to = get('to');
  for (const [name, v] of [['from', from], ['to', to]] as const) {
    if (v !== undefined && !isDate(v)) throw new InvalidInput(`${name} must be a date YYYY-MM-DD`, 'query');
  }
  if (from !== undefined && to !== undefined && from >= to) throw new InvalidInput('to must be after from', 'query');
  let build = get('build');
  if (build !== undefined) {
    build = build.replace(/["']/g, '');
    if (build === '' || build.length >= 200 || !/^[\x20-\x7E]+$/.test(build)) throw new InvalidInput('build is invalid', 'query');
  }
  return { filter: { from, to, build }, values: { from: from ?? '', to: to ?? '', build: build ?? '' } };
}

function isDate(v: string): boolean {
  const m = DATE.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** `page` of a paged table, from 1. */
export function parsePage(q: URLSearchParams): number {
  const raw = q.get('page');
  if (raw === null || raw === '') return 1;
  if (!/^[0-9]{1,6}$/.test(raw) || Number(raw) < 1) throw new InvalidInput('page must be a whole number ≥ 1', 'query');
  return Number(raw);
}
