/** jsonb rejects \u0000 in strings; senders' free text may carry it, so it is dropped in the projected copy only (the log keeps it). */
export function jsonbText(value: unknown): string {
  return JSON.stringify(value ?? null).replace(/\\u0000/g, '');
}
