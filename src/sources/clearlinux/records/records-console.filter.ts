import { csvText } from '../../../common/csv';
import { InvalidInput } from '../../../common/errors';
import { classificationPatternToLike } from '../record/classification';
import type { ConsoleRecordsFilter } from './records.repository';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;
const FILTER_KEYS = ['classification', 'os_name', 'build', 'severity', 'machine_id', 'payload', 'not_payload', 'from_date', 'to_date', 'data_source'] as const;

export type ConsoleQuery = Readonly<{
  filter: ConsoleRecordsFilter;
  /** The filter values as typed (for the form and for links). */
  values: Readonly<Record<(typeof FILTER_KEYS)[number], string>>;
  page: number;
  pageSize: number;
}>;

/** Spec clearlinux.md §8.1, pure: console query string → filter. Empty fields mean "no filter" (a blank form field). */
export function parseConsoleQuery(query: URLSearchParams): ConsoleQuery {
  const values = Object.fromEntries(FILTER_KEYS.map((k) => [k, (query.get(k) ?? '').trim()])) as Record<(typeof FILTER_KEYS)[number], string>;
  const opt = (k: (typeof FILTER_KEYS)[number]) => (values[k] === '' ? undefined : values[k]);
  const bad = (message: string): never => {
    throw new InvalidInput(message, 'query');
  };

  const severityText = opt('severity');
  if (severityText !== undefined && !/^[1-4]$/.test(severityText)) bad('severity must be 1, 2, 3 or 4');
  for (const k of ['from_date', 'to_date'] as const) {
    const d = opt(k);
    if (d !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)))) bad(`${k} must be a date YYYY-MM-DD`);
  }
  const source = opt('data_source');
  if (source !== undefined && source !== 'external' && source !== 'internal') bad('data_source must be external or internal');

  const classification = opt('classification');
  return {
    filter: {
      classificationLike: classification === undefined ? undefined : classificationPatternToLike(classification),
      osName: opt('os_name'),
      build: opt('build'),
      severity: severityText === undefined ? undefined : Number(severityText),
      machineId: opt('machine_id'),
      payload: opt('payload'),
      notPayload: opt('not_payload'),
      fromDate: opt('from_date'),
      toDate: opt('to_date'),
      external: source === undefined ? undefined : source === 'external',
    },
    values,
    page: positive(query.get('page'), 1, Number.MAX_SAFE_INTEGER),
    pageSize: positive(query.get('page_size'), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
  };
}

function positive(text: string | null, fallback: number, max: number): number {
  if (text === null || !/^[0-9]{1,15}$/.test(text) || Number(text) < 1) return fallback;
  return Math.min(Number(text), max);
}

/** clearlinux.md §8.1 CSV: every value double-quoted, inner quotes doubled, booleans as `true`/`false`. */
export function csvLines(rows: readonly (readonly (string | number | boolean)[])[]): string {
  return csvText(rows, { quoted: true, cast: { boolean: (b) => String(b) } });
}

export const CSV_HEADER = 'id,external,server_timestamp,severity,classification,build,machine_id,payload\n';
export const CSV_MAX_ROWS = 10_000;
