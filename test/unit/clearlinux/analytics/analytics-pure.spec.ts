import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAnalyticsFilter } from '../../../../src/sources/clearlinux/analytics/analytics.filter';
import type { RowWrite } from '../../../../src/event-log/projector';
import { AnalyticsProjectionSql, projectAnalytics } from '../../../../src/sources/clearlinux/analytics/analytics.projection';
import { pivotMachines, shapeMce, shapeThermal } from '../../../../src/sources/clearlinux/analytics/analytics.query';
import { compareBuilds, isoWeekLabel, isoWeekStart, lastIsoWeeks, splitBuilds, startOfYear, sundayWeekOfYear, windowStart } from '../../../../src/sources/clearlinux/analytics/bucketing';
import { loadDemoFixtures } from '../../../../src/cli/seed/demo-fixtures';
import { demoRecords, rotatingMachineId } from '../../../../src/cli/seed/demo-records';
import { mceKindOf, parseMcelog } from '../../../../src/sources/clearlinux/analytics/mcelog';
import { normaliseHeaderEntries } from '../../../../src/sources/clearlinux/record/header-names';
import { parseV2Record } from '../../../../src/sources/clearlinux/ingest/record-parser';
import { recordAccepted } from '../../../../src/sources/clearlinux/record/record.events';
import { AppError } from '../../../../src/common/errors';
import { headers } from '../helpers';

const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'clearlinux', name), 'utf8');
const d = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('mcelog parsing (spec clearlinux.md §8.5, §8.6)', () => {
  it('takes the kind from the exact classification only', () => {
    expect(['corrected', 'SRAO', 'SRAR', 'UCNA', 'thermal'].map((k) => mceKindOf(`org.clearlinux/mce/${k}`))).toEqual(['corrected', 'SRAO', 'SRAR', 'UCNA', 'thermal']);
    expect(mceKindOf('org.clearlinux/mce/srao')).toBeUndefined();
    expect(mceKindOf('org.clearlinux/mce/other')).toBeUndefined();
    expect(mceKindOf('org.clearlinux/crash/clr')).toBeUndefined();
  });

  it('reads CPU, bank, status, decoding and CPUID of a machine check', () => {
    expect(parseMcelog(fixture('mce-corrected.txt'))).toEqual({
      cpu: 2,
      bank: 6,
      socketId: 0,
      apicId: 4,
      mciStatus: '8c000051000800c1',
      mcgStatus: '0',
      errorText: 'Corrected error',
      mca: 'MEMORY CONTROLLER MS_CHANNEL1_ERR',
      transaction: 'Memory scrub error',
      cpuVendor: 'Intel',
      cpuFamily: 6,
      cpuModel: 63,
    });
  });

  it('reads the CPU and throttling state of a thermal event', () => {
    expect(parseMcelog(fixture('mce-thermal.txt'))).toMatchObject({ cpu: 1, bank: null, errorText: 'Throttling enabled', mciStatus: '88430000' });
  });

  it('gives nulls, not errors, for text it does not know (CRLF too)', () => {
    expect(Object.values(parseMcelog('garbage\r\nCPU x BANK y\r\n')).every((v) => v === null)).toBe(true);
    expect(parseMcelog('CPU 3 BANK 99999999999999999999\r\n').bank).toBeNull();
  });
});

describe('analytics projection', () => {
  const event = (overrides: Record<string, string>, payload: string) =>
    recordAccepted(parseV2Record(headers(overrides), payload), 9, '2026-11-23T10:00:00.000Z', { protocol: 'v2', headers: {}, payload });

  it('projects a machine check by capture time with parsed fields, counted for its machine only if new', () => {
    const writes = projectAnalytics(event({ classification: 'org.clearlinux/mce/corrected' }, fixture('mce-corrected.txt')));
    expect(writes).toHaveLength(1);
    const [write] = writes as Extract<RowWrite, { kind: 'sql' }>[];
    expect(write).toMatchObject({ kind: 'sql', sql: AnalyticsProjectionSql.countedMachineCheck, tables: ['clr_mce_events', 'clr_mce_daily', 'clr_mce_machine_builds', 'clr_mce_machine_totals'] });
    // parameters in column order: record_id, log_event_id, ts_capture, ts_reception, machine_id, build, kind, cpu, bank, …
    expect(write.params[0]).toBe(9);
    expect(write.params.slice(2, 3)).toEqual(['2017-09-12 16:54:09+00']);
    expect(write.params.slice(5, 9)).toEqual(['29940', 'corrected', 2, 6]);
    expect(write.params.slice(3, 4)).toEqual(['2026-11-23T10:00:00.000Z']);
    // unique by reception time, the partitioning column; counted only when the event row is new
    expect(write.sql).toMatch(/ON CONFLICT \(log_event_id, ts_reception\) DO NOTHING\s+RETURNING/);
  });

  it('projects a thermal event counted per capture day only (no machine counts)', () => {
    const writes = projectAnalytics(event({ classification: 'org.clearlinux/mce/thermal' }, fixture('mce-thermal.txt')));
    expect(writes).toHaveLength(1);
    const [write] = writes as Extract<RowWrite, { kind: 'sql' }>[];
    expect(write).toMatchObject({ kind: 'sql', sql: AnalyticsProjectionSql.countedThermalEvent, tables: ['clr_mce_events', 'clr_mce_daily'] });
    expect(write.params.slice(0, 1)).toEqual([9]);
    expect(write.params.slice(2, 3)).toEqual(['2017-09-12 16:54:09+00']);
    expect(write.params.slice(6, 8)).toEqual(['thermal', 1]);
  });

  it('projects clear-linux-os heartbeats and the machine id latest capture, nothing for other records', () => {
    const writes = projectAnalytics(event({ classification: 'org.clearlinux/heartbeat/ping' }, 'x'));
    expect(writes.map((w) => (w as Extract<RowWrite, { kind: 'insert' }>).table)).toEqual(['clr_heartbeats', 'clr_population_machines']);
    expect(writes[0]).toMatchObject({
      rows: [{ ts_capture: '2017-09-12 16:54:09+00', ts_reception: '2026-11-23T10:00:00.000Z' }],
      conflict: { target: ['log_event_id', 'ts_reception'], action: 'nothing' },
    });
    expect(writes[1]).toMatchObject({
      rows: [{ build: '29940', external: false, last_capture: '2017-09-12 16:54:09+00' }],
      conflict: { target: ['build', 'external', 'machine_id'], action: 'greatest', column: 'last_capture' },
    });
    expect(projectAnalytics(event({ classification: 'org.clearlinux/heartbeat/ping', system_name: 'ubuntu', build: '18.04' }, 'x'))).toEqual([]);
    expect(projectAnalytics(event({ classification: 'org.clearlinux/crash/clr' }, 'x'))).toEqual([]);
  });
});

describe('bucketing', () => {
  it('numbers Sunday-based weeks like strftime %U', () => {
    // 2026-01-01 is a Thursday: week 0 until the first Sunday (Jan 4)
    expect(['2026-01-01', '2026-01-03', '2026-01-04', '2026-01-10', '2026-01-11', '2026-11-22', '2026-11-23', '2026-12-31'].map((x) => sundayWeekOfYear(d(x)))).toEqual([0, 0, 1, 1, 2, 47, 47, 52]);
    expect(sundayWeekOfYear(d('2023-01-01'))).toBe(1); // a year starting on Sunday has no week 0
  });

  it('labels ISO-8601 weeks, including year boundaries', () => {
    expect(isoWeekLabel(d('2026-11-23'))).toBe('2026-W48');
    expect(isoWeekLabel(d('2021-01-03'))).toBe('2020-W53');
    expect(isoWeekLabel(d('2024-12-30'))).toBe('2025-W01');
    expect(isoWeekStart(d('2026-11-29')).toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });

  it('gives the last five ISO weeks oldest first, the UTC year start and now − N days', () => {
    expect(lastIsoWeeks(new Date('2026-11-25T08:00:00Z'), 5).map((w) => w.toISOString().slice(0, 10))).toEqual(['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']);
    expect(startOfYear(new Date('2026-03-05T01:00:00Z')).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(windowStart(new Date('2026-11-23T13:47:12Z'), 3).toISOString()).toBe('2026-11-20T13:47:12.000Z');
  });

  it('orders integer builds numerically, others after as text, and splits them', () => {
    expect(['9', '31000', '16.04', '100', 'abc', '18.04'].sort(compareBuilds)).toEqual(['9', '100', '31000', '16.04', '18.04', 'abc']);
    expect(splitBuilds([{ build: '16.04' }, { build: '200' }, { build: '30' }])).toEqual({ integer: [{ build: '30' }, { build: '200' }], other: [{ build: '16.04' }] });
    expect(compareBuilds('99999999999999999999999', '99999999999999999999998')).toBe(1);
  });

  it('shapes daily MCE rows into classes, builds and %U weeks', () => {
    const s = shapeMce([
      { day: '2026-11-21', kind: 'corrected', build: '31010', records: 2 },
      { day: '2026-11-22', kind: 'corrected', build: '31000', records: 1 },
      { day: '2026-11-22', kind: 'UCNA', build: '16.04', records: 4 },
    ]);
    expect(s.total).toBe(7);
    expect(s.classes).toEqual([
      { class: 'org.clearlinux/mce/corrected', records: 3 },
      { class: 'org.clearlinux/mce/SRAO', records: 0 },
      { class: 'org.clearlinux/mce/SRAR', records: 0 },
      { class: 'org.clearlinux/mce/UCNA', records: 4 },
    ]);
    expect(s.builds).toEqual([{ build: '31000', records: 1 }, { build: '31010', records: 2 }, { build: '16.04', records: 4 }]);
    expect(s.weekly).toEqual([
      { week: '2026-U46', class: 'org.clearlinux/mce/corrected', records: 2 },
      { week: '2026-U47', class: 'org.clearlinux/mce/UCNA', records: 4 },
      { week: '2026-U47', class: 'org.clearlinux/mce/corrected', records: 1 },
    ]);
  });

  it('shapes thermal days into ISO weeks with empty weeks kept', () => {
    const weeks = lastIsoWeeks(new Date('2026-11-25T00:00:00Z'), 2);
    expect(shapeThermal([{ day: '2026-11-24', records: 3 }, { day: '2026-11-29', records: 1 }], weeks)).toEqual([
      { week: '2026-W47', start: '2026-11-16', records: 0 },
      { week: '2026-W48', start: '2026-11-23', records: 4 },
    ]);
  });

  it('pivots machine rows keeping page order', () => {
    expect(pivotMachines([
      { machine_id: 'b', total: 5, build: '1', records: 2 },
      { machine_id: 'b', total: 5, build: '2', records: 3 },
      { machine_id: 'a', total: 1, build: '2', records: 1 },
    ])).toEqual([{ machine_id: 'b', total: 5, builds: { '1': 2, '2': 3 } }, { machine_id: 'a', total: 1, builds: { '2': 1 } }]);
  });
});

describe('analytics filter', () => {
  const parse = (q: string) => parseAnalyticsFilter(new URLSearchParams(q));
  it('reads from/to/build, first value wins, empty means absent', () => {
    expect(parse('from=2026-11-01&to=2026-11-08&build=%2231000%22&build=1').filter).toEqual({ from: '2026-11-01', to: '2026-11-08', build: '31000' });
    expect(parse('from=&build=').values).toEqual({ from: '', to: '', build: '' });
  });
  it.each([
    ['from=2026-02-30', 'from must be a date YYYY-MM-DD'],
    ['to=yesterday', 'to must be a date YYYY-MM-DD'],
    ['from=2026-11-08&to=2026-11-01', 'to must be after from'],
    ['build=a%01b', 'build is invalid'],
  ])('%s → 400 %s', (q, message) => {
    let caught: unknown;
    try {
      parse(q);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect(caught).toMatchObject({ status: 400, message });
  });
});

describe('demo records', () => {
  const fx = loadDemoFixtures();
  const now = new Date('2026-11-23T12:00:00Z');

  it('rotates a machine id every 3 days', () => {
    const ids = [0, 1, 2, 3, 4, 5, 6].map((day) => rotatingMachineId('s', 1, 20400 + day));
    expect(new Set(ids.slice(0, 3)).size).toBe(1);
    expect(ids[2]).not.toBe(ids[3]);
    expect(ids[3]).toBe(ids[5]);
    expect(ids[0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is deterministic, bounded and covers every view', () => {
    const a = demoRecords(fx, { count: 600, now, seed: 3 });
    expect(demoRecords(fx, { count: 600, now, seed: 3 })).toEqual(a);
    expect(a).toHaveLength(600);
    const classes = new Set(a.map((r) => r.headers.classification));
    for (const c of ['heartbeat/ping', 'crash/clr', 'kernel/warning', 'mce/corrected', 'mce/SRAO', 'mce/UCNA', 'mce/thermal']) expect(classes).toContain(`org.clearlinux/${c}`);
    expect(new Set(a.map((r) => r.headers.build)).size).toBeGreaterThan(4);
    expect(new Set(a.map((r) => r.headers.host_type)).size).toBeGreaterThan(3);
    expect(a.some((r) => r.headers['X-CLR-External'] === 'true')).toBe(true);
    expect(a.every((r) => r.tsCapture < now.getTime() / 1000 && r.tsCapture > now.getTime() / 1000 - 43 * 86400)).toBe(true);
  });

  it('builds records the real collector parser accepts, with fixture-shaped backtraces', () => {
    const all = demoRecords(fx, { count: 300, now, seed: 5 });
    for (const r of all) {
      const entries = Object.entries({ ...r.headers, 'X-Telemetry-TID': '6907c830-eed9-4ce9-81ae-76daf8d88f0f' });
      expect(() => parseV2Record(normaliseHeaderEntries(entries), r.body)).not.toThrow();
    }
    const crash = all.find((r) => r.headers.classification === 'org.clearlinux/crash/clr')!;
    expect(crash.body).toMatch(/^Process: \/usr\/\S+\nPID: \d+\n/);
    expect(crash.body).toMatch(/\nBacktrace \(TID \d+\):\n#0 \S+ - \[\/usr\/lib64\//);
  });
});
