import { TelemetryEvent } from '../../../event-log/event';
import type { NormalisedHeaders } from './header-names';
import type { ParsedRecord } from './parsed-record';
import { recordEventId, recordKey } from './record-key';

export const RECORD_ACCEPTED = 'clearlinux.record.accepted';

export type RecordAcceptedData = ParsedRecord &
  Readonly<{
    /** Server id (clearlinux.md §6.1), allocated before the append so the 201 answer and every replay agree. */
    id: number;
    recordKey: string;
    /** Reception time, ISO (server clock at acceptance). */
    tsReception: string;
    /** What arrived, so projections can be rebuilt after a parser change: v2 body text or v3 JSON text. */
    raw: Readonly<{ protocol: 'v2' | 'v3'; headers: NormalisedHeaders; payload: string }>;
  }>;

export type RecordAccepted = TelemetryEvent<typeof RECORD_ACCEPTED, RecordAcceptedData, 1>;
export type ClearLinuxEvent = RecordAccepted;

/**
 * The headers an event keeps: those that carry record fields (clearlinux.md §3.1, names normalised) and what decoding
 * the body needs. Anything else a client or a proxy adds (CF-Connecting-IP, True-Client-IP, X-Client-IP,
 * Proxy-Authorization, X-Api-Key, cookies …) identifies a person or a session: a list of what to drop
 * always misses the next one, so the event keeps only what it names.
 */
export const KEPT_HEADERS: ReadonlySet<string> = new Set([
  'arch', 'build', 'creation-timestamp', 'classification', 'host-type', 'kernel-version', 'machine-id', 'severity',
  'record-format-version', 'payload-format-version', 'system-name', 'x-telemetry-tid', 'board-name', 'bios-version',
  'cpu-model', 'event-id', 'x-clr-external',
  'content-type', 'content-encoding', 'user-agent',
]);

/** Pure: the event for one accepted record. Its id derives from the record key (clearlinux.md §4). */
export function recordAccepted(
  parsed: ParsedRecord,
  id: number,
  receivedAt: string,
  raw: RecordAcceptedData['raw'],
): RecordAccepted {
  const key = recordKey(parsed);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw.headers)) if (KEPT_HEADERS.has(name)) headers[name] = value;
  return {
    id: recordEventId(key),
    type: RECORD_ACCEPTED,
    version: 1,
    stream: 'telemetry.records',
    source: 'clearlinux',
    key: parsed.machineId,
    receivedAt,
    data: { ...parsed, id, recordKey: key, tsReception: receivedAt, raw: { ...raw, headers } },
  };
}
