import { createHash } from 'node:crypto';
import { recordEventId, recordKey } from '../../../../src/sources/clearlinux/record/record-key';
import { parseV2Record, parseV3Record } from '../../../../src/sources/clearlinux/ingest/record-parser';
import { TID, headers } from '../helpers';

const record = (overrides: Record<string, string | undefined> = {}, payload = 'hello\n') =>
  parseV2Record(headers(overrides), payload);

describe('recordKey (spec 4)', () => {
  it('is 64 lower-case hex digits', () => {
    expect(recordKey(record())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the SHA-256 of the JSON-encoded canonical tuple', () => {
    const r = record();
    const tuple = [r.machineId, r.classification, r.severity, r.tsCapture, r.recordFormatVersion, r.eventId, r.build, r.payload];
    expect(recordKey(r)).toBe(createHash('sha256').update(JSON.stringify(tuple)).digest('hex'));
  });

  it('gives a byte-identical retry the same key and event id', () => {
    const a = record({}, 'crash ✓\n');
    const b = record({}, 'crash ✓\n');
    expect(recordKey(b)).toBe(recordKey(a));
    expect(recordEventId(recordKey(b))).toBe(recordEventId(recordKey(a)));
  });

  it.each([
    ['payload', {}, 'hello\n\n'],
    ['classification', { classification: 'org.clearlinux/crash/error' }, 'hello\n'],
    ['machine id', { machine_id: 'other' }, 'hello\n'],
    ['severity', { severity: '3' }, 'hello\n'],
    ['capture time', { creation_timestamp: '1505235250' }, 'hello\n'],
    ['record format version', { record_format_version: '3' }, 'hello\n'],
    ['event id', { event_id: '0123456789abcdef0123456789abcdef' }, 'hello\n'],
    ['build', { build: '29941' }, 'hello\n'],
  ])('changes with the %s', (_name, overrides, payload) => {
    expect(recordKey(record(overrides, payload))).not.toBe(recordKey(record()));
  });

  it.each([
    ['host type', { host_type: 'other' }],
    ['kernel version', { kernel_version: '6.1.1' }],
    ['cpu model', { cpu_model: 'other' }],
    ['external flag', { 'X-CLR-External': 'true' }],
  ])('does not depend on the %s (not part of the tuple)', (_name, overrides) => {
    expect(recordKey(record(overrides))).toBe(recordKey(record()));
  });

  it('keeps two records of one event apart (same event id, different classification or payload)', () => {
    const a = record({ classification: 'org.clearlinux/crash/clr' }, 'x');
    const b = record({ classification: 'org.clearlinux/crash/error' }, 'x');
    const c = record({ classification: 'org.clearlinux/crash/clr' }, 'y');
    expect(new Set([recordKey(a), recordKey(b), recordKey(c)]).size).toBe(3);
  });

  it('is unambiguous where a plain concatenation would not be', () => {
    const a = record({ machine_id: 'ab', classification: 'c/d/e' });
    const b = record({ machine_id: 'a', classification: 'bc/d/e' });
    expect(recordKey(a)).not.toBe(recordKey(b));
  });

  it('uses N/A as the event id before v4', () => {
    const r = record({ record_format_version: '3' });
    expect(r.eventId).toBe('N/A');
    expect(recordKey(r)).toBe(recordKey({ ...r, eventId: 'N/A' }));
  });

  it('is the same whether the record came over v2 or v3', () => {
    const fields: Record<string, string> = { ...Object.fromEntries(Object.entries(headers())), payload: 'hello\n' };
    delete fields['x-telemetry-tid'];
    expect(recordKey(parseV3Record(JSON.stringify(fields), TID))).toBe(recordKey(record()));
  });
});

describe('recordEventId', () => {
  const key = recordKey(record());

  it('is a version-8, variant-10 UUID', () => {
    expect(recordEventId(key)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps the key bits outside the version and variant fields', () => {
    const id = recordEventId('f'.repeat(64)).replace(/-/g, '');
    expect(id).toBe('ffffffffffff8fffbfffffffffffffff');
    expect(recordEventId('0'.repeat(64))).toBe('00000000-0000-8000-8000-000000000000');
    expect(recordEventId(`0123456789abcdef0123456789abcdef${'0'.repeat(32)}`)).toBe('01234567-89ab-8def-8123-456789abcdef');
  });

  it('differs for different keys', () => {
    expect(recordEventId(recordKey(record({}, 'other')))).not.toBe(recordEventId(key));
  });

  it('refuses something that is not a record key', () => {
    expect(() => recordEventId('xyz')).toThrow('record key must be 64 lower-case hex digits');
    expect(() => recordEventId(key.toUpperCase())).toThrow();
  });
});
