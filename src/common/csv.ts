import { Options, Stringifier, stringify } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';

/**
 * Every CSV this platform writes goes through csv-stringify with formula escaping: exports are opened in
 * spreadsheets, and a cell a client sent as `=HYPERLINK(...)` or `+cmd|...` must stay text there (a
 * leading `=`, `+`, `-`, `@`, tab or CR gets a `'` in front).
 */
const SAFE: Options = { escape_formulas: true };

/** A streaming writer: objects or arrays in, CSV text out, with backpressure. */
export function csvStream(options: Options = {}): Stringifier {
  return stringify({ ...options, ...SAFE });
}

/** Rows already in memory (one page of a paged export) as CSV text. */
export function csvText(rows: readonly (readonly unknown[])[], options: Options = {}): string {
  return stringifySync(rows as unknown[][], { ...options, ...SAFE });
}
