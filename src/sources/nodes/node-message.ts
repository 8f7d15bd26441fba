import { findUnstorable, STORABLE_LIMITS } from '../../common/storable-json';

/**
 * One websocket frame → the row to store (spec submissions-and-nodes.md §B.3, §B.10 #1–#3). Pure.
 * Flat form: `{msg, ts, level, ...}`. Envelope form: `{id, ts, payload: {msg, ...}}` — stored as the
 * payload with `ts` copied in and `id` kept as `telemetry_id`, so msg-based queries see both forms.
 */
export type DropReason = 'invalid_json' | 'not_object' | 'unstorable' | 'oversize' | 'insert_failed' | 'no_timestamp' | 'bad_timestamp';

export type NormalisedMessage = Readonly<{
  logs: Record<string, unknown>;
  /** The node's `ts` (RFC 3339, passed to Postgres as written: it keeps microseconds), or the receive time. */
  createdAt: string;
  tsSource: 'node' | 'server';
  telemetryId: number | null;
  /** Set when the frame is stored but its timestamp was missing/unparseable (counted, not dropped). */
  timestampProblem?: 'no_timestamp' | 'bad_timestamp';
}>;

export type ParseResult = Readonly<{ ok: true; message: NormalisedMessage }> | Readonly<{ ok: false; reason: 'invalid_json' | 'not_object' | 'unstorable' }>;

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

export function parseNodeFrame(text: string, receivedAt: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'invalid_json' };
  }
  if (!isObject(value)) return { ok: false, reason: 'not_object' };
  // NULs are replaced below (stripNul); too deep or a lone surrogate cannot be stored at all.
  if (findUnstorable(value, { ...STORABLE_LIMITS, allowNul: true })) return { ok: false, reason: 'unstorable' };
  return { ok: true, message: normaliseMessage(value, receivedAt) };
}

export function normaliseMessage(value: Record<string, unknown>, receivedAt: string): NormalisedMessage {
  const envelope = isObject(value.payload) && !('msg' in value);
  const logs: Record<string, unknown> = envelope ? { ...(value.payload as Record<string, unknown>) } : { ...value };
  const ts = envelope ? (value.ts ?? logs.ts) : value.ts;
  if (envelope && ts !== undefined) logs.ts = ts;
  const telemetryId = envelope && typeof value.id === 'number' && Number.isSafeInteger(value.id) ? value.id : null;
  const clean = stripNul(logs) as Record<string, unknown>;
  if (ts === undefined || ts === null) return { logs: clean, createdAt: receivedAt, tsSource: 'server', telemetryId, timestampProblem: 'no_timestamp' };
  if (typeof ts !== 'string' || !RFC3339.test(ts) || Number.isNaN(Date.parse(ts.replace(/\.(\d{3})\d+/, '.$1')))) {
    return { logs: clean, createdAt: receivedAt, tsSource: 'server', telemetryId, timestampProblem: 'bad_timestamp' };
  }
  return { logs: clean, createdAt: ts, tsSource: 'node', telemetryId };
}

/** jsonb refuses U+0000 (spec submissions-and-nodes.md §B.5 note): replaced by U+FFFD in keys and strings. */
export function stripNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
  if (Array.isArray(value)) return value.map(stripNul);
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k.replaceAll('\u0000', '\uFFFD')] = stripNul(v);
    return out;
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
