import { loadClearLinuxConfig, purgeFiltered } from '../../../../src/sources/clearlinux/clearlinux.config';
import { purgePlan, purgeStatement, wouldDelete } from '../../../../src/sources/clearlinux/retention/retention.plan';
import { msUntilNextRun } from '../../../../src/sources/clearlinux/retention/retention.service';

describe('purge plan (spec clearlinux.md §10)', () => {
  // Upstream purge tests' config: unfiltered 5 d; severity {1: 1, 4: 0}; classification {test/keep/one: 0, test/discard/*: 1}.
  const plan = purgePlan({
    enabled: true,
    maxDaysKeepUnfiltered: 5,
    filtered: { severity: { '1': 1, '4': 0 }, classification: { 'test/keep/one': 0, 'test/discard/*': 1 } },
  });

  it.each([
    [2, 1, 'test/discard/one', true],
    [2, 2, 'test/discard/two', true],
    [2, 4, 'test/discard/two', true],
    [6, 2, 'test/test/one', true],
    [2, 1, 'test/keep/one', true],
    [6, 2, 'test/keep/one', false],
    [3, 2, 'test/test/one', false],
    [6, 4, 'test/test/one', false],
  ])('age %i d, severity %i, %s → deleted %s', (ageDays, severity, classification, deleted) => {
    expect(wouldDelete(plan, { ageDays, severity, classification, machine_id: 'm' })).toBe(deleted);
  });

  it('has one step per filter with days > 0, then the unfiltered step excluding every configured value', () => {
    expect(plan).toEqual([
      { kind: 'filtered', field: 'severity', value: '1', days: 1 },
      { kind: 'filtered', field: 'classification', value: 'test/discard/*', days: 1 },
      {
        kind: 'unfiltered',
        days: 5,
        exclude: [
          { field: 'severity', value: '1' },
          { field: 'severity', value: '4' },
          { field: 'classification', value: 'test/keep/one' },
          { field: 'classification', value: 'test/discard/*' },
        ],
      },
    ]);
  });

  it('renders SQL with a LIKE for wildcards and NOT (...) for the unfiltered rule', () => {
    const now = new Date('2026-11-23T04:30:00Z');
    expect(purgeStatement(plan[1], now)).toEqual({
      sql: `DELETE FROM records WHERE ts_reception < $1::timestamptz - make_interval(days => $2::int) AND classification LIKE $3 ESCAPE '\\'`,
      params: ['2026-11-23T04:30:00.000Z', 1, 'test/discard/%'],
    });
    expect(purgeStatement(plan[2], now).sql).toBe(
      `DELETE FROM records WHERE ts_reception < $1::timestamptz - make_interval(days => $2::int) AND NOT (severity = $3 OR severity = $4 OR classification = $5 OR classification LIKE $6 ESCAPE '\\')`,
    );
  });

  it('disabled purge or 0 days delete nothing', () => {
    expect(purgePlan({ enabled: false, maxDaysKeepUnfiltered: 35, filtered: {} })).toEqual([]);
    expect(purgePlan({ enabled: true, maxDaysKeepUnfiltered: 0, filtered: { severity: { '4': 0 } } })).toEqual([]);
  });

  it('defaults: enabled, 35 days unfiltered, hello/world kept 1 day', () => {
    expect(loadClearLinuxConfig({}).purge).toEqual({
      enabled: true,
      maxDaysKeepUnfiltered: 35,
      filtered: { classification: { 'org.clearlinux/hello/world': 1 } },
    });
  });

  it('reads CLR_PURGE_FILTERED_RECORDS and refuses unknown fields or bad days', () => {
    expect(purgeFiltered('{"severity": {"1": 5, "4": 0}}')).toEqual({ severity: { '1': 5, '4': 0 } });
    expect(() => purgeFiltered('{"arch": {"x86_64": 1}}')).toThrow(/unsupported field "arch"/);
    expect(() => purgeFiltered('{"severity": {"1": -1}}')).toThrow(/whole number of days/);
    expect(() => loadClearLinuxConfig({ CLR_PURGE_ENABLED: 'maybe' })).toThrow(/CLR_PURGE_ENABLED/);
  });

  it('runs next at 04:30 UTC', () => {
    expect(msUntilNextRun(new Date('2026-11-23T04:00:00Z'))).toBe(30 * 60_000);
    expect(msUntilNextRun(new Date('2026-11-23T04:30:00Z'))).toBe(86_400_000);
    expect(msUntilNextRun(new Date('2026-11-23T12:00:00Z'))).toBe(16.5 * 3_600_000);
  });
});
