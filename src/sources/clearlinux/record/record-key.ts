import { createHash } from 'node:crypto';
import type { ParsedRecord } from './parsed-record';

export type RecordKeyFields = Pick<
  ParsedRecord,
  'machineId' | 'classification' | 'severity' | 'tsCapture' | 'recordFormatVersion' | 'eventId' | 'build' | 'payload'
>;

/**
 * Spec clearlinux.md §4: client retries are byte-identical, so the record's own fields identify it. SHA-256
 * (hex) over the canonical tuple, encoded as a JSON array so that no two tuples share an
 * encoding (field boundaries and types are explicit), then hashed as UTF-8.
 */
export function recordKey(record: RecordKeyFields): string {
  const tuple = [
    record.machineId,
    record.classification,
    record.severity,
    record.tsCapture,
    record.recordFormatVersion,
    record.eventId,
    record.build,
    record.payload,
  ];
  return createHash('sha256').update(JSON.stringify(tuple), 'utf8').digest('hex');
}

/**
 * A UUID derived from the record key, so a retried record gets the same event id (and the log's
 * idempotency check sees the duplicate). RFC 9562 version 8 ("custom"), variant 10xx; the other
 * 122 bits are the first hex digits of the key.
 */
export function recordEventId(key: string): string {
  if (!/^[0-9a-f]{64}$/.test(key)) throw new Error('record key must be 64 lower-case hex digits');
  const hex = key.slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
