import { AppError } from '../../../../src/common/errors';
import { normaliseHeaderEntries } from '../../../../src/sources/clearlinux/record/header-names';
import { parseV2Record } from '../../../../src/sources/clearlinux/ingest/record-parser';
import { recordAccepted } from '../../../../src/sources/clearlinux/record/record.events';
import { formatTimestamp, viewFromEvent } from '../../../../src/sources/clearlinux/record/record-view';
import { parseApiRecordsQuery } from '../../../../src/sources/clearlinux/records/records-api.query';
import { csvLines, parseConsoleQuery } from '../../../../src/sources/clearlinux/records/records-console.filter';
import { projectRecord } from '../../../../src/sources/clearlinux/records/records.projection';
import { V4_HEADERS } from '../helpers';

const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.message;
    throw err;
  }
  return 'no error';
};

describe('GET /api/records parameters (spec clearlinux.md §9)', () => {
  const parse = (q: string) => parseApiRecordsQuery(new URLSearchParams(q));
  it('defaults: 30-day window, limit 1000', () => {
    expect(parse('')).toEqual({ windowSeconds: 2_592_000, limit: 1000 });
  });
  it('caps windows at 30 days and prefers created_in_days', () => {
    expect(parse('created_in_days=2&created_in_sec=x').windowSeconds).toBe(172_800);
    expect(parse('created_in_sec=60').windowSeconds).toBe(60);
    expect(parse('created_in_days=31').windowSeconds).toBe(2_592_000);
  });
  it('compares limit numerically and takes the first repeated value', () => {
    expect(parse('limit=5&limit=x').limit).toBe(5);
    expect(parse('limit=999').limit).toBe(999);
    expect(message(() => parse('limit=10000'))).toBe('Record limit value is invalid');
  });
  it('removes quotes from build and checks classification length', () => {
    expect(parse('build="123"').build).toBe('123');
    expect(message(() => parse(`classification=a/b/${'c'.repeat(41)}`))).toBe('Classification value is invalid');
  });
});

describe('console records query (spec clearlinux.md §8.1)', () => {
  const parse = (q: string) => parseConsoleQuery(new URLSearchParams(q));
  it('turns wildcard classifications into LIKE patterns and blank fields into no filter', () => {
    expect(parse('classification=org.clearlinux/crash/*&build=&page_size=5000').filter).toEqual({
      classificationLike: 'org.clearlinux/crash/%',
      osName: undefined, build: undefined, severity: undefined, machineId: undefined, payload: undefined,
      notPayload: undefined, fromDate: undefined, toDate: undefined, external: undefined,
    });
    expect(parse('page_size=5000').pageSize).toBe(1000);
    expect(parse('').pageSize).toBe(50);
    expect(parse('data_source=external').filter.external).toBe(true);
  });
  it('rejects bad severity, dates and sources', () => {
    expect(message(() => parse('severity=7'))).toBe('severity must be 1, 2, 3 or 4');
    expect(message(() => parse('from_date=2026-13-45'))).toBe('from_date must be a date YYYY-MM-DD');
    expect(message(() => parse('data_source=both'))).toBe('data_source must be external or internal');
  });
  it('quotes every CSV value and doubles inner quotes', () => {
    expect(csvLines([[1, false, 'say "hi"']])).toBe('"1","false","say ""hi"""\n');
    expect(csvLines([[1, true, 'a'], [2, false, 'b']])).toBe('"1","true","a"\n"2","false","b"\n');
  });

  it('keeps a payload that looks like a spreadsheet formula as text', () => {
    expect(csvLines([[1, false, '=HYPERLINK("http://x")'], [2, false, '@SUM(A1)']])).toBe(`"1","false","'=HYPERLINK(""http://x"")"\n"2","false","'@SUM(A1)"\n`);
  });
});

describe('record event and projection', () => {
  const parsed = parseV2Record(normaliseHeaderEntries(Object.entries(V4_HEADERS)), 'bt\n');
  const event = recordAccepted(parsed, 42, '2026-11-23T10:00:00.500Z', { protocol: 'v2', headers: { cookie: 'x', arch: 'x86_64' }, payload: 'bt\n' });

  it('keeps the record headers and drops every other one: addresses, credentials, cookies', () => {
    const sent = normaliseHeaderEntries(Object.entries({
      ...V4_HEADERS, 'Content-Encoding': 'gzip', 'User-Agent': 'telemetrics-client/2.3.5',
      'CF-Connecting-IP': '203.0.113.7', 'True-Client-IP': '203.0.113.7', 'X-Client-IP': '203.0.113.7', 'X-Original-Forwarded-For': '203.0.113.7',
      'X-Envoy-External-Address': '203.0.113.7', 'X-Forwarded-For': '203.0.113.7', Forwarded: 'for=203.0.113.7', 'X-Real-IP': '203.0.113.7',
      'Proxy-Authorization': 'Basic c2VjcmV0', Authorization: 'Bearer secret', 'X-Api-Key': 'secret', Cookie: 'session=secret',
    }));
    const kept = recordAccepted(parsed, 43, '2026-11-23T10:00:00.500Z', { protocol: 'v2', headers: sent, payload: 'bt\n' }).data.raw.headers;
    expect(Object.keys(kept).sort()).toEqual([...Object.keys(normaliseHeaderEntries(Object.entries(V4_HEADERS))), 'content-encoding', 'user-agent'].sort());
    expect(JSON.stringify(kept)).not.toMatch(/203\.0\.113\.7|secret|c2VjcmV0/);
  });

  it('keys the event by machine id on telemetry.records, drops cookies, survives a JSON round trip', () => {
    expect(event).toMatchObject({ type: 'clearlinux.record.accepted', stream: 'telemetry.records', key: '66c196ce4222dd761470da5e7e35f6f1' });
    expect(event.data.raw.headers).toEqual({ arch: 'x86_64' });
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });

  it('renders clearlinux.md §6.2 JSON with whole-second UTC timestamps', () => {
    expect(viewFromEvent(event.data)).toMatchObject({ id: 42, ts_capture: '2017-09-12 16:54:09 UTC', ts_reception: '2026-11-23 10:00:00 UTC', severity: 2 });
    expect(formatTimestamp(999_999_999_999)).toBe('33658-09-27 01:46:39 UTC');
  });

  it('projects one idempotent row with the platform split', () => {
    const [write] = projectRecord(event);
    expect(write).toMatchObject({
      kind: 'insert',
      table: 'records',
      conflict: { target: ['log_event_id', 'ts_reception'], action: 'nothing' },
      rows: [{ id: 42, log_event_id: event.id, platform_vendor: 'Intel Corporation', platform_product: 'NUC6i5SYB', platform_version: 'H81131-502', ts_capture: '2017-09-12 16:54:09+00', domain: 'org.clearlinux', probe: 'crash', rest: 'clr' }],
    });
  });
});
