/** Pure pieces of the JSON exports of spec fuelstats.md §5.6: paging parameters, the paged answer, row rendering. */

export type Paging = Readonly<{ limit: number; offset: number }>;
export const DEFAULT_PAGING: Paging = { limit: 1000, offset: 0 };

const count = (v: unknown): number | null => {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null;
};

/**
 * `paging_params` = JSON text `{"limit": n, "offset": m}`; text that does not parse, a non-object, or a value
 * that is not a whole number ≥ 0 falls back to the default (limit 1000, offset 0), field by field.
 */
export function pagingParams(text: unknown): Paging {
  let parsed: unknown = null;
  try {
    parsed = typeof text === 'string' ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  const o = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  return { limit: count(o.limit) ?? DEFAULT_PAGING.limit, offset: count(o.offset) ?? DEFAULT_PAGING.offset };
}

/** `{"paging_params": {limit, offset, total}, "objs": [...]}` as text chunks, one row at a time. */
export async function* pagedJson(paging: Paging, total: number, rows: AsyncIterable<unknown>): AsyncGenerator<string> {
  yield `{"paging_params":${JSON.stringify({ ...paging, total })},"objs":[`;
  let first = true;
  for await (const row of rows) {
    yield (first ? '' : ',') + JSON.stringify(row);
    first = false;
  }
  yield ']}';
}

/**
 * The stored `updated_time` (fuelstats.md §3.4 accepts `HH:MM[:SS[.ffffff]]`, optionally after a date and before a zone) as
 * Python's time.isoformat() of the time of day: `HH:MM:SS`, plus `.ffffff` when the fraction is not zero.
 */
export function isoTimeOfDay(text: string): string {
  const m = /^(?:\d{4}-\d{2}-\d{2}[T ])?(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?/.exec(text);
  if (!m) return text;
  const micros = (m[4] ?? '').padEnd(6, '0');
  return `${m[1]}:${m[2]}:${m[3] ?? '00'}${/^0+$/.test(micros) ? '' : `.${micros}`}`;
}
