import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bindParams, floorPluginRows, parseParams, PluginError, validateManifest, validateQuery } from '../../../src/plugin-views/plugin-manifest';
import { discoverPlugins, loadPluginConfig } from '../../../src/plugin-views/plugin-registry';
import { PROJECT_ROOT } from '../../../src/common/paths';

const base = {
  name: 'demo',
  title: 'Demo',
  params: { days: { type: 'integer', default: 7, minimum: 1, maximum: 30 }, kind: { type: 'string', default: 'a', enum: ['a', 'b'] }, day: { type: 'date', default: '2026-11-01' } },
  groups: { by: ['os'], machines: 'machines' },
};

describe('plugin manifest', () => {
  it('accepts a valid manifest and fills defaults', () => {
    const m = validateManifest('demo', base);
    expect(m).toMatchObject({ name: 'demo', maxRows: 1000, timeoutMs: 5000 });
  });

  it.each([
    [{ ...base, name: 'other' }, 'must equal the folder name'],
    [{ ...base, title: undefined }, "must have required property 'title'"],
    [{ ...base, extra: 1 }, 'must NOT have additional properties'],
    [{ ...base, params: { days: { type: 'float', default: 1 } } }, 'view.json/params/days/type must be equal to one of the allowed values'],
    [{ ...base, params: { days: { type: 'integer', default: 70, maximum: 30 } } }, 'params.days.default is invalid'],
    [{ ...base, params: { s: { type: 'string', default: 'x', pattern: '(' } } }, 'params.s.pattern is not a valid regular expression'],
    [{ ...base, chart: { type: 'bar', x: 'a' } }, "must have required property 'y'"],
    [{ ...base, maxRows: 0 }, 'view.json/maxRows must be >= 1'],
    [{ ...base, groups: undefined }, "must have required property 'groups'"],
    [{ ...base, groups: { by: [], machines: 'm' } }, 'view.json/groups/by must NOT have fewer than 1 items'],
  ])('refuses %j (%s)', (raw, message) => {
    expect(() => validateManifest('demo', raw)).toThrow(PluginError);
    expect(() => validateManifest('demo', raw)).toThrow(message);
  });

  it('merges groups under the k-anonymity floor into one "other (n groups)" row, summing counts', () => {
    const m = validateManifest('demo', base);
    const rows = [
      { os: 'clear', records: 40, machines: 9 },
      { os: 'fedora', records: 3, machines: 2 },
      { os: 'arch', records: 1, machines: 1 },
      { os: 'debian', records: 12, machines: 5 },
    ];
    expect(floorPluginRows(m, rows, 5)).toEqual([
      { os: 'clear', records: 40, machines: 9 },
      { os: 'debian', records: 12, machines: 5 },
      { os: 'other (2 groups)', records: 4, machines: null },
    ]);
    expect(floorPluginRows(m, rows, 1)).toEqual(rows);
    // a row without a usable machine count is treated as backed by none
    expect(floorPluginRows(m, [{ os: 'x', records: 9, machines: 'n/a' }], 5)).toEqual([{ os: 'other (1 group)', records: 9, machines: null }]);
  });

  it('allows one SELECT or WITH statement using declared parameters only', () => {
    const m = validateManifest('demo', base);
    expect(validateQuery('demo', 'SELECT :days::int AS d, \';\' AS semi;\n', m)).toBe("SELECT :days::int AS d, ';' AS semi;".replace(/;$/, ''));
    expect(validateQuery('demo', 'WITH x AS (SELECT 1) SELECT * FROM x -- ; comment', m)).toContain('WITH');
    expect(() => validateQuery('demo', 'SELECT 1; DROP TABLE records', m)).toThrow('single statement');
    expect(() => validateQuery('demo', 'DELETE FROM records', m)).toThrow('must start with SELECT or WITH');
    expect(() => validateQuery('demo', 'SELECT :nope', m)).toThrow(':nope, which view.json does not declare');
  });

  it('parses parameters with defaults and names the bad one', () => {
    const m = validateManifest('demo', base);
    expect(parseParams(m, new URLSearchParams(''))).toEqual({ days: 7, kind: 'a', day: '2026-11-01' });
    expect(parseParams(m, new URLSearchParams('days=30&kind=b&day=2026-02-28'))).toEqual({ days: 30, kind: 'b', day: '2026-02-28' });
    expect(() => parseParams(m, new URLSearchParams('days=31'))).toThrow('days must be ≤ 30');
    expect(() => parseParams(m, new URLSearchParams('days=1.5'))).toThrow('days must be a whole number');
    expect(() => parseParams(m, new URLSearchParams('kind=c'))).toThrow('kind must be one of a, b');
    expect(() => parseParams(m, new URLSearchParams('day=2026-02-30'))).toThrow('day must be a date YYYY-MM-DD');
  });

  it('binds :name placeholders to $n, reusing numbers and leaving casts alone', () => {
    expect(bindParams('SELECT :days::int, :kind, :days, x::text', { days: 3, kind: 'a' })).toEqual({ sql: 'SELECT $1::int, $2, $1, x::text', params: [3, 'a'] });
  });
});

describe('plugin discovery', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tp-plugins-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, files: Record<string, string>) => {
    mkdirSync(join(dir, name));
    for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, name, f), text);
  };

  it('loads the shipped example plugin', () => {
    const [plugin] = discoverPlugins({ dir: join(PROJECT_ROOT, 'plugins'), enabled: ['records-per-os'] });
    expect(plugin.manifest.name).toBe('records-per-os');
    expect(plugin.render({ rows: [{ os_name: 'clear-linux-os', records: 3, machines: 2 }], params: {} })).toContain('<td>clear-linux-os</td><td>3</td><td>2</td>');
  });

  it('stops with the plugin and file named when something is wrong', () => {
    write('broken', { 'view.json': JSON.stringify({ name: 'broken', title: 'B', groups: { by: ['x'], machines: 'm' } }), 'query.sql': 'SELECT 1' });
    expect(() => discoverPlugins({ dir, enabled: '*' })).toThrow('plugin broken: view.hbs is missing');
    writeFileSync(join(dir, 'broken', 'view.hbs'), '{{#each rows}}');
    expect(() => discoverPlugins({ dir, enabled: '*' })).toThrow('plugin broken: view.hbs does not compile');
    expect(() => discoverPlugins({ dir, enabled: ['absent'] })).toThrow('plugin absent is enabled');
  });

  it('reads PLUGINS_DIR and PLUGINS_ENABLED', () => {
    expect(loadPluginConfig({}, '/x')).toEqual({ dir: '/x', enabled: '*' });
    expect(loadPluginConfig({ PLUGINS_DIR: '/p', PLUGINS_ENABLED: 'a, b' }, '/x')).toEqual({ dir: '/p', enabled: ['a', 'b'] });
    expect(loadPluginConfig({ PLUGINS_ENABLED: 'none' }, '/x').enabled).toEqual([]);
    expect(() => loadPluginConfig({ PLUGINS_ENABLED: 'Bad!' }, '/x')).toThrow('PLUGINS_ENABLED');
  });
});
