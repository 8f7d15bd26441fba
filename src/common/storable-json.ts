/**
 * What PostgreSQL can store, checked at the door: a JSON value parsed from a request is refused when a
 * string (or key) holds U+0000 or an unpaired UTF-16 surrogate (jsonb rejects both: "unsupported Unicode
 * escape sequence"; a text column would silently turn a lone surrogate into U+FFFD), or when it nests
 * deeper or holds more keys than any real client sends. Without this check such a value was acknowledged,
 * made durable, and then failed its projector's batch on every retry.
 *
 * The walk is iterative: a document nested 20,000 levels deep parses fine (V8's JSON.parse does not
 * recurse) but overflows the stack of any recursive walk or of JSON.stringify.
 */
export const STORABLE_LIMITS = { maxDepth: 64, maxKeys: 100_000 } as const;

export type Unstorable = Readonly<{ path: string; problem: string }>;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type StorableOptions = Readonly<{ maxDepth: number; maxKeys: number; /** The caller replaces NULs itself. */ allowNul?: boolean }>;

/** The reason a string cannot be stored, or null. */
export function unstorableText(text: string, allowNul = false): string | null {
  if (!allowNul && text.includes('\u0000')) return 'contains U+0000 (NUL)';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate';
  return null;
}

/** The first place in `value` that storage cannot hold (a JSON-pointer-like path), or null. */
export function findUnstorable(value: unknown, limits: StorableOptions = STORABLE_LIMITS): Unstorable | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  let keys = 0;
  while (stack.length > 0) {
    const { value: node, path, depth } = stack.pop()!;
    if (typeof node === 'string') {
      const problem = unstorableText(node, limits.allowNul);
      if (problem) return { path: path || '/', problem };
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (depth >= limits.maxDepth) return { path: path || '/', problem: `nests deeper than ${limits.maxDepth} levels` };
    const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
    keys += entries.length;
    if (keys > limits.maxKeys) return { path: path || '/', problem: `holds more than ${limits.maxKeys} keys and items` };
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      const childPath = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const keyProblem = Array.isArray(node) ? null : unstorableText(key, limits.allowNul);
      if (keyProblem) return { path: childPath, problem: `key ${keyProblem}` };
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}

const NOT_STORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text a row must hold even though a client made it hostile (a rejected request's URI, an error message
 * quoting the bad byte): NUL and unpaired surrogates become U+FFFD. Only for descriptive text whose
 * original is kept elsewhere (the payload in base64) or does not matter byte for byte.
 */
export function storableText(text: string): string {
  return text.replace(NOT_STORABLE, '\uFFFD');
}

/** JSON text for a jsonb column, every string value passed through `storableText`. */
export function storableJsonText(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) => (typeof v === 'string' ? storableText(v) : v));
}
