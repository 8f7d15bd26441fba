import { readdirSync } from 'node:fs';
import { headerValue, normaliseHeaderEntries, normaliseRawHeaders } from '../../../../src/sources/clearlinux/record/header-names';
import { decodePayload } from '../../../../src/sources/clearlinux/ingest/payload-decoding';
import { recordEventId, recordKey } from '../../../../src/sources/clearlinux/record/record-key';
import type { ParsedRecord } from '../../../../src/sources/clearlinux/record/parsed-record';
import { parseV2Record, parseV3Record } from '../../../../src/sources/clearlinux/ingest/record-parser';
import { fixturePath, readFixture, readFixtureText } from '../../../support/fixtures';
import { TID, rejection } from '../helpers';

type HeaderFixture = { headers: Record<string, string>; body_file: string; expect_status: number };
type JsonFixture = { http_headers: Record<string, string>; body: Record<string, string>; expect_status: number };
type WireCapture = {
  description: string;
  path: string;
  rawHeaders: string[];
  body_base64: string;
  body_text: string;
  captured_at: string;
};

/** What the collector will do with a captured request: route by path, decode, parse. */
function parseCapture(capture: WireCapture): ParsedRecord {
  const headers = normaliseRawHeaders(capture.rawHeaders);
  const text = decodePayload(Buffer.from(capture.body_base64, 'base64'), {
    contentEncoding: headerValue(headers, 'Content-Encoding'),
  });
  if (capture.path === '/v3/collector') {
    return parseV3Record(text, headerValue(headers, 'X-Telemetry-TID'), {}, headerValue(headers, 'X-CLR-External'));
  }
  return parseV2Record(headers, text);
}

describe('header fixtures', () => {
  it('v2-hello-headers.json parses to the upstream test record', () => {
    const f = readFixture<HeaderFixture>('clearlinux/v2-hello-headers.json');
    const r = parseV2Record(normaliseHeaderEntries(Object.entries(f.headers)), readFixtureText(`clearlinux/${f.body_file}`));
    expect(f.expect_status).toBe(201);
    expect(r).toEqual({
      classification: 'org.clearlinux/hello/world',
      domain: 'org.clearlinux',
      probe: 'hello',
      rest: 'world',
      severity: 1,
      machineId: 'clr-linux-avj01',
      machineType: 'blank|blank|blank',
      arch: 'x86_64',
      kernelVersion: '4.12.5-374.native',
      osName: 'clear-linux-os',
      build: '17700',
      recordFormatVersion: 2,
      payloadFormatVersion: 1,
      boardName: 'N/A',
      cpuModel: 'N/A',
      biosVersion: 'N/A',
      eventId: 'N/A',
      external: false,
      tsCapture: 1505235249,
      payload: 'hello\n',
    });
  });

  it('v4-crash-headers.json parses with all v4 fields', () => {
    const f = readFixture<HeaderFixture>('clearlinux/v4-crash-headers.json');
    const payload = readFixtureText(`clearlinux/${f.body_file}`);
    const r = parseV2Record(normaliseHeaderEntries(Object.entries(f.headers)), payload);
    expect(r).toMatchObject({
      classification: 'org.clearlinux/crash/clr',
      severity: 2,
      recordFormatVersion: 4,
      machineType: 'Intel Corporation|NUC6i5SYB|H81131-502',
      boardName: 'NUC6i5SYB|Intel Corporation',
      cpuModel: 'Intel(R) Core(TM) i5-6260U CPU @ 1.80GHz',
      biosVersion: 'SYSKLi35.86A.0045.2016.0304.1712',
      eventId: '39cc109a1079df96376693ebc7a0f632',
      build: '29940',
      payload,
    });
  });

  it('v3-crash-json.json parses with the truncated values stored as received', () => {
    const f = readFixture<JsonFixture>('clearlinux/v3-crash-json.json');
    const h = normaliseHeaderEntries(Object.entries(f.http_headers));
    const r = parseV3Record(JSON.stringify(f.body), headerValue(h, 'X-Telemetry-TID'));
    expect(r).toMatchObject({
      recordFormatVersion: 4,
      machineType: 'Intel',
      cpuModel: 'Intel(R)',
      boardName: 'NUC6i5SYB|Intel',
      eventId: '39cc109a1079df96376693ebc7a0f632',
      payload: readFixtureText('clearlinux/crash-clr-basic.txt'),
    });
  });

  it('the same crash via v3 and via v4 headers has the same record key', () => {
    const v4 = readFixture<HeaderFixture>('clearlinux/v4-crash-headers.json');
    const v3 = readFixture<JsonFixture>('clearlinux/v3-crash-json.json');
    const a = parseV2Record(normaliseHeaderEntries(Object.entries(v4.headers)), readFixtureText(`clearlinux/${v4.body_file}`));
    const b = parseV3Record(JSON.stringify(v3.body), TID);
    expect(recordKey(a)).toBe(recordKey(b));
  });
});

describe('client-staged-record.txt (a staged file from the client test data)', () => {
  // "name: value" lines, then the payload; posted as-is with the TID header.
  const lines = readFixtureText('clearlinux/client-staged-record.txt').split('\n');
  const headerLines = lines.filter((l) => /^[a-z_]+: /.test(l));
  const entries = headerLines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)] as [string, string]);
  const payload = lines.slice(headerLines.length).join('\n');

  it('is rejected: severity 0 is out of range', () => {
    const h = normaliseHeaderEntries([...entries, ['X-Telemetry-TID', TID]]);
    expect(payload).toBe('test message\n');
    expect(rejection(() => parseV2Record(h, payload))).toEqual({
      status: 400,
      message: 'severity value is out of range',
      reason: 'severity',
    });
  });

  it('would next be rejected for its two-part kernel version 3.15', () => {
    const h = normaliseHeaderEntries([['severity', '1'], ...entries, ['X-Telemetry-TID', TID]]);
    expect(rejection(() => parseV2Record(h, payload)).message).toBe('kernel version is invalid');
  });
});

describe('wire captures from the real clients (spec 1.1)', () => {
  const files = readdirSync(fixturePath('clearlinux/wire')).filter((f) => f.endsWith('.json')).sort();
  const captures = files.map((file) => [file, readFixture<WireCapture>(`clearlinux/wire/${file}`)] as const);

  it('covers both client versions', () => {
    expect(files).toHaveLength(11);
    expect(files.filter((f) => f.startsWith('client-2.4-'))).toHaveLength(6);
  });

  it.each(captures)('%s parses as a valid record', (_file, capture) => {
    const r = parseCapture(capture);
    expect(r).toMatchObject({
      recordFormatVersion: 4,
      build: '12',
      osName: 'debian',
      arch: 'x86_64',
      kernelVersion: '6.18.44-fc-v669',
      machineType: 'no_sv_file|no_pn_file|no_pvr_file',
      boardName: 'no_bn_file|no_bv_file',
      biosVersion: 'no_bv_file',
      cpuModel: capture.path === '/v3/collector' ? 'AMD' : 'AMD EPYC',
      payload: capture.body_text.startsWith('{') ? (JSON.parse(capture.body_text) as { payload: string }).payload : capture.body_text,
      external: false,
    });
    expect(r.eventId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps the client’s extra trailing newline and non-ASCII text', () => {
    const byFile = new Map(captures.map(([f, c]) => [f, parseCapture(c)]));
    expect(byFile.get('client-2.3.5-1.json')?.payload).toBe('hello\n\n');
    expect(byFile.get('client-2.4-1.json')?.payload).toBe('hello\n\n');
    expect(byFile.get('client-2.3.5-4.json')?.payload).toBe('héllo wörld — ünïcødé ✓ 日本語 🚀 end\n\n');
    expect(byFile.get('client-2.4-5.json')?.payload).toBe('héllo wörld — ünïcødé ✓ 日本語 🚀 end\n\n');
    expect(byFile.get('client-2.3.5-3.json')).toMatchObject({ payloadFormatVersion: 2, severity: 4 });
    expect(byFile.get('client-2.4-3.json')).toMatchObject({ payloadFormatVersion: 2, severity: 4 });
  });

  it('gives every captured record its own key', () => {
    const keys = captures.map(([, c]) => recordKey(parseCapture(c)));
    expect(new Set(keys).size).toBe(captures.length);
  });

  describe('client-2.4-6.json, a retry of a spooled record', () => {
    const retry = readFixture<WireCapture>('clearlinux/wire/client-2.4-6.json');

    it('has no captured original: the first attempt (answered 503) is not among the files', () => {
      expect(retry.description).toMatch(/first attempt at 2026-11-23T09:06:48.710Z/);
      const others = captures.filter(([f]) => f !== 'client-2.4-6.json').map(([, c]) => c);
      expect(others.map((c) => c.captured_at)).not.toContain('2026-11-23T09:06:48.710Z');
      expect(others.filter((c) => c.body_text.includes('dc49012bbe2fa1f2caae0e16a9a1bc6e'))).toEqual([]);
    });

    it('gets the same key and event id as its byte-identical first attempt', () => {
      const firstAttempt = { ...retry, captured_at: '2026-11-23T09:06:48.710Z' };
      const key = recordKey(parseCapture(retry));
      expect(recordKey(parseCapture(firstAttempt))).toBe(key);
      expect(recordEventId(recordKey(parseCapture(firstAttempt)))).toBe(recordEventId(key));
    });
  });
});
