import { createHash, randomBytes } from 'node:crypto';

/** Kafka topics, one per event family; in the Postgres log they are the `stream` column. */
export const EVENT_STREAMS = [
  'telemetry.records',
  'fuel.action-logs',
  'fuel.installations',
  'fuel.oswl',
  'fuel.failure-reports',
  'submissions.documents',
  'submissions.errors',
  'nodes.messages',
  'platform.admin',
] as const;
export type EventStream = (typeof EVENT_STREAMS)[number];

/**
 * An event is a fact, as plain JSON-safe data (ISO strings, no Date/Map/classes), so a JSON round trip
 * is the identity and any projection can be rebuilt from the log. `key` orders events of one
 * machine/installation/node (Kafka partition key).
 */
export type TelemetryEvent<T extends string = string, D = unknown, V extends number = number> = Readonly<{
  id: string;
  type: T;
  version: V;
  stream: EventStream;
  source: string;
  key: string | null;
  receivedAt: string;
  data: Readonly<D>;
}>;

/**
 * An operator's change (a rule, a list entry, a note) as a fact on the `platform.admin` stream, version 1.
 * `key` keeps the changes of one thing in order (Kafka partition); the id is time-ordered at `at`.
 */
export function adminEvent<E extends TelemetryEvent<string, unknown, 1>>(
  type: E['type'],
  source: string,
  key: string,
  data: E['data'],
  at: string,
  id: string = newEventId(Date.parse(at)),
): E {
  return { id, type, version: 1, stream: 'platform.admin', source, key, receivedAt: at, data } as E;
}

/** Time-ordered UUID (v7): ids sort by creation, which keeps the unique index append-friendly. */
export function newEventId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return formatUuid(bytes);
}

/**
 * Stable id derived from a natural key (UUID version 8, "custom"): a client's retry of the same record
 * maps to the same event id, so the log itself can refuse the duplicate.
 */
export function eventIdFromKey(namespace: string, naturalKey: string): string {
  const bytes = createHash('sha256').update(namespace).update('\u0000').update(naturalKey).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return formatUuid(bytes);
}

function formatUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
