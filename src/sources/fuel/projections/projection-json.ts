/**
 * jsonb rejects U+0000 in strings. Ingest refuses such bodies now, but events logged before may carry
 * it: it is dropped in the projected copy only (the log keeps it). Dropped from the strings themselves: a
 * text replace over the JSON would also cut a sender's literal `\\u0000` (backslash, u, 0000) in half.
 */
export function jsonbText(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) => (typeof v === 'string' && v.includes('\u0000') ? v.replaceAll('\u0000', '') : v));
}
