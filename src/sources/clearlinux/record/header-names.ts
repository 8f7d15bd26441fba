/**
 * Record fields arrive as HTTP headers whose spelling varies by client: the real client sends
 * `record_format_version`, upstream tests send `Record-Format-Version`. Spec clearlinux.md §2.1: names are
 * case-insensitive and `_` ≡ `-`; a field sent twice keeps its FIRST occurrence in request order.
 */

/** Header values keyed by normalised name. Plain JSON-safe data (null prototype, string values). */
export type NormalisedHeaders = Readonly<Record<string, string>>;

/** `Machine_ID` → `machine-id`. */
export function normaliseHeaderName(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

/**
 * Node's `req.rawHeaders` (`[name, value, name, value, …]`, request order) → lookup.
 * Use rawHeaders rather than `req.headers`: the latter already merges duplicates, which would
 * lose the first-wins rule (clearlinux.md §2.1).
 */
export function normaliseRawHeaders(rawHeaders: readonly string[]): NormalisedHeaders {
  const pairs: Array<readonly [string, string]> = [];
  // A dangling name without value cannot come from Node's parser; it is ignored.
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i], rawHeaders[i + 1]]);
  return normaliseHeaderEntries(pairs);
}

/** Same rule for `[name, value]` pairs in request order (e.g. `Object.entries` of a fixture). */
export function normaliseHeaderEntries(entries: Iterable<readonly [string, string]>): NormalisedHeaders {
  // Null prototype so that a header called `__proto__` or `constructor` is just a key.
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of entries) {
    const key = normaliseHeaderName(name);
    if (!Object.hasOwn(out, key)) out[key] = trimHeaderValue(value);
  }
  return out;
}

/** The value of a field by any of its spellings, or undefined when absent. */
export function headerValue(headers: NormalisedHeaders, name: string): string | undefined {
  const key = normaliseHeaderName(name);
  return Object.hasOwn(headers, key) ? headers[key] : undefined;
}

/** HTTP optional whitespace (space, tab) only: other characters are part of the value (clearlinux.md §2.1). */
function trimHeaderValue(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}
