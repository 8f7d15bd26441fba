import {
  compareBuildsDesc,
  parseBuildPath,
  parseCrashFilter,
  parseCrashListFilter,
  parseGuiltyParam,
  shapeTopGuilty,
} from '../../../../src/sources/clearlinux/crashes/crashes.query';
import { parseReprocessScope } from '../../../../src/sources/clearlinux/crashes/never-guilty/edit-request';
import { guiltyId } from '../../../../src/sources/clearlinux/crashes/guilty';

const NOW = new Date('2026-11-23T13:00:00Z');
const q = (s: string) => new URLSearchParams(s);

describe('parseCrashFilter', () => {
  it('defaults to the past week: 7 reception days ending today (UTC)', () => {
    expect(parseCrashFilter(q(''), NOW)).toEqual({
      values: { from: '2026-11-17', to: '2026-11-24', build: '' },
      window: { from: '2026-11-17T00:00:00Z', to: '2026-11-24T00:00:00Z', build: null },
    });
  });
  it('takes from, to and build from the URL (quotes removed from build)', () => {
    expect(parseCrashFilter(q('from=2026-01-01&to=2026-02-01&build=%2231000%22'), NOW).window).toEqual({
      from: '2026-01-01T00:00:00Z',
      to: '2026-02-01T00:00:00Z',
      build: '31000',
    });
    expect(parseCrashFilter(q('to=2026-02-01'), NOW).values.from).toBe('2026-01-25');
  });
  it.each([
    ['from=2026-02-30', 'from must be a date YYYY-MM-DD'],
    ['to=yesterday', 'to must be a date YYYY-MM-DD'],
    ['from=2026-02-01&to=2026-02-01', 'from must be before to'],
    ['from=1990-01-01&to=2026-01-01', 'from..to must span at most 3660 days'],
    ['build=a%01', 'build value is invalid'],
  ])('%s → 400 %s', (query, message) => {
    expect(() => parseCrashFilter(q(query), NOW)).toThrow(message);
  });
});

describe('parseGuiltyParam', () => {
  it('needs function; module may be empty', () => {
    expect(parseGuiltyParam(q('function=%3F%3F%3F&module='))).toEqual({ function: '???', module: '' });
    expect(() => parseGuiltyParam(q('module=m'))).toThrow('function is required');
    expect(() => parseGuiltyParam(q('function=f'))).toThrow('module is required');
  });
});

describe('shapeTopGuilty (spec 8.4 table)', () => {
  it('puts builds highest first, 0 where absent, and the max single-guilty count per build', () => {
    const t = shapeTopGuilty([
      { function: 'a()', module: 'm', total: 5, build: '100', crashes: 2, comment: null },
      { function: 'a()', module: 'm', total: 5, build: '99', crashes: 3, comment: null },
      { function: 'b()', module: 'm', total: 4, build: '100', crashes: 4, comment: 'known, fixed in 101' },
    ]);
    expect(t.builds).toEqual([
      { build: '100', max: 4 },
      { build: '99', max: 3 },
    ]);
    expect(t.rows).toEqual([
      { rank: 1, id: guiltyId({ function: 'a()', module: 'm' }), function: 'a()', module: 'm', label: 'a() - [m]', total: 5, comment: null,
        counts: [{ build: '100', crashes: 2 }, { build: '99', crashes: 3 }] },
      { rank: 2, id: guiltyId({ function: 'b()', module: 'm' }), function: 'b()', module: 'm', label: 'b() - [m]', total: 4, comment: 'known, fixed in 101',
        counts: [{ build: '100', crashes: 4 }, { build: '99', crashes: 0 }] },
    ]);
  });
  it('orders builds numerically, any length, non-numeric last', () => {
    expect(['9', '100000000000000000000', '10', 'beta', 'alpha'].sort(compareBuildsDesc)).toEqual(['100000000000000000000', '10', '9', 'beta', 'alpha']);
  });
});

describe('parseBuildPath (spec 8.4 /crashes/<build>)', () => {
  it('reads one build, or null for overall; bad values are a 400 naming build', () => {
    expect(parseBuildPath('31890')).toBe('31890');
    expect(parseBuildPath('"31890"')).toBe('31890');
    expect(parseBuildPath('overall')).toBeNull();
    expect(() => parseBuildPath('a\u0001')).toThrow('build value is invalid');
    expect(() => parseBuildPath('')).toThrow('build is required (or overall)');
  });
});

describe('parseCrashListFilter (spec 8.4 guilty backtraces)', () => {
  it('is all time, with optional build and machine_id', () => {
    expect(parseCrashListFilter(q('build=31890&machine_id=abc'))).toEqual({
      from: '-infinity',
      to: 'infinity',
      build: '31890',
      machineId: 'abc',
      values: { build: '31890', machine_id: 'abc' },
    });
    expect(parseCrashListFilter(q(''))).toMatchObject({ build: null, machineId: null });
    expect(() => parseCrashListFilter(q('machine_id=%01'))).toThrow('machine_id value is invalid');
  });
});

describe('parseReprocessScope (spec 7.5 apply / apply and submit)', () => {
  it('defaults to all, accepts record, names the field otherwise', () => {
    expect(parseReprocessScope(undefined)).toBe('all');
    expect(parseReprocessScope(null)).toBe('all');
    expect(parseReprocessScope('record')).toBe('record');
    expect(() => parseReprocessScope('later')).toThrow('reprocess must be one of record, all');
  });
});
