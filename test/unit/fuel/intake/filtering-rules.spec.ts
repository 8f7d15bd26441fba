import { FilteringRulesError, isFiltered, parseFilteringRules, parseFromDate } from '../../../../src/sources/fuel/intake/filtering-rules';
import { loadFuelConfig } from '../../../../src/sources/fuel/fuel.config';

const NOW = Date.UTC(2016, 5, 15, 12, 0, 0); // 2016-06-15T12:00:00Z
const PKGS = ['fuel-nailgun-9.0.0-1.mos8460.noarch', 'fuel-library9.0-9.0.0-1.mos8460.noarch'];

describe('parseFromDate (spec fuelstats.md §3.7 formats)', () => {
  it.each([
    ['2016-06-01', Date.UTC(2016, 5, 1)],
    ['2016-06-01T', Date.UTC(2016, 5, 1)],
    ['2016-06-01T10', Date.UTC(2016, 5, 1, 10)],
    ['2016-06-01T10:30', Date.UTC(2016, 5, 1, 10, 30)],
    ['2016-06-01T10:30:15', Date.UTC(2016, 5, 1, 10, 30, 15)],
    ['2016-06-01T10:30:15.250000', Date.UTC(2016, 5, 1, 10, 30, 15, 250)],
  ])('%s', (text, ms) => expect(parseFromDate(text)).toBe(ms));

  it.each(['2016-6-1', '2016-06-01 10:00', '2016-02-30', '2016-06-01T25', 'yesterday'])('rejects %s', (text) => {
    expect(() => parseFromDate(text)).toThrow(FilteringRulesError);
  });
});

describe('isFiltered (spec fuelstats.md §3.7 decision table)', () => {
  const rules = parseFilteringRules(
    JSON.stringify({
      '6.0': null,
      '7.0': {},
      '7.1': [],
      '8.0': { '100': null, '101': '2016-06-01', '102': '2016-07-01T00:00:00' },
      '9.0': [
        { packages_list: [...PKGS].reverse() },
        { packages_list: ['future-pkg'], from_date: '2017-01-01' },
        { build_id: '495', from_date: '2016-06-15T11' },
      ],
    }),
  );

  it.each([
    ['release not in rules', { release: '5.1' }, true],
    ['no fuel_release at all', {}, true],
    ['release rules null → kept', { release: '6.0', buildId: 'anything' }, false],
    ['release rules {} → every build filtered', { release: '7.0', buildId: '1' }, true],
    ['release rules {} without build info → filtered', { release: '7.0' }, true],
    ['release rules [] → every build filtered', { release: '7.1' }, true],
    ['map: build mapped to null → kept', { release: '8.0', buildId: '100' }, false],
    ['map: from_date in the past → kept', { release: '8.0', buildId: '101' }, false],
    ['map: from_date in the future → filtered', { release: '8.0', buildId: '102' }, true],
    ['map: build not listed → filtered', { release: '8.0', buildId: '999' }, true],
    ['map: no build_id and no packages → not filtered by either', { release: '8.0' }, false],
    ['list: package list matches in any order', { release: '9.0', packages: PKGS }, false],
    ['list: package list not listed → filtered', { release: '9.0', packages: ['other'] }, true],
    ['list: package list with future from_date → filtered', { release: '9.0', packages: ['future-pkg'] }, true],
    ['list: build_id from_date one hour ago → kept', { release: '9.0', buildId: '495' }, false],
    ['either filtered → filtered (build ok, packages unknown)', { release: '9.0', buildId: '495', packages: ['x'] }, true],
    ['either filtered → filtered (packages ok, build unknown)', { release: '9.0', buildId: '1', packages: PKGS }, true],
  ])('%s', (_note, info, filtered) => expect(isFiltered(rules, info, NOW)).toBe(filtered));

  it('no rules → never filtered', () => {
    expect(isFiltered(parseFilteringRules(undefined), { release: 'x' }, NOW)).toBe(false);
    expect(isFiltered(parseFilteringRules(''), { release: 'x' }, NOW)).toBe(false);
    expect(isFiltered(parseFilteringRules('{}'), { release: 'x' }, NOW)).toBe(false);
    expect(isFiltered(parseFilteringRules('null'), {}, NOW)).toBe(false);
  });
});

describe('FUEL_FILTERING_RULES configuration', () => {
  it.each([
    ['{', /not valid JSON/],
    ['[1]', /JSON object/],
    ['{"9.0": 5}', /rules must be null, an object or a list/],
    ['{"9.0": [{"x": 1}]}', /packages_list/],
    ['{"9.0": {"495": "soon"}}', /from_date "soon"/],
    ['{"9.0": {"495": 7}}', /from_date must be a string/],
  ])('%s → clear start-up error', (text, message) => {
    expect(() => loadFuelConfig({ FUEL_FILTERING_RULES: text })).toThrow(/FUEL_FILTERING_RULES is invalid/);
    expect(() => loadFuelConfig({ FUEL_FILTERING_RULES: text })).toThrow(message);
  });

  it('defaults to no rules', () => {
    expect(loadFuelConfig({}).filteringRules).toBeNull();
  });
});
