import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { engineProblems } from '../../../ops/engines';

const root = join(__dirname, '../../..');
type Semver = Parameters<typeof engineProblems>[2];
const semver = createRequire(__filename)('semver') as Semver;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Parameters<typeof engineProblems>[0];

describe('declared Node engines', () => {
  it('exclude Node releases without require(esm), which content-disposition 3 needs at start-up', () => {
    expect(semver.satisfies('20.18.3', pkg.engines.node)).toBe(false);
    expect(semver.satisfies('22.11.0', pkg.engines.node)).toBe(false);
    expect(semver.satisfies('21.7.3', pkg.engines.node)).toBe(false);
  });
  it('include Node 20.19+, 22.12+ and later majors', () => {
    for (const v of ['20.19.0', '20.20.2', '22.12.0', '22.23.3', '24.1.0']) expect(semver.satisfies(v, pkg.engines.node)).toBe(true);
  });
  it('match the lockfile root entry and .nvmrc', () => {
    expect(lock.packages?.['']?.engines?.node).toBe(pkg.engines.node);
    const nvmrc = readFileSync(join(root, '.nvmrc'), 'utf8').trim();
    expect(semver.satisfies(`${nvmrc}.19.0`, pkg.engines.node)).toBe(true);
  });
  it('are covered by every locked production package', () => {
    expect(engineProblems(lock, process.versions.node, semver)).toEqual([]);
  });
});

describe('engineProblems (ops/check-lockfile.js --engines)', () => {
  const ours = { '': { engines: { node: '^20.19.0 || >=22.12.0' } } };
  it('names a production package that wants a newer Node than we declare', () => {
    const problems = engineProblems({ packages: { ...ours, 'node_modules/cookie': { version: '2.0.2', engines: { node: '>=22' } } } }, '22.23.3', semver);
    expect(problems).toEqual(['node_modules/cookie@2.0.2: engines.node ">=22" does not cover ours ("^20.19.0 || >=22.12.0")']);
  });
  it('checks a dev-only package against the running Node only', () => {
    const lockWithDev = { packages: { ...ours, 'node_modules/jest': { version: '30.5.2', dev: true, engines: { node: '^20.0.0 || ^22.0.0 || >=24.0.0' } } } };
    expect(engineProblems(lockWithDev, '20.20.2', semver)).toEqual([]);
    expect(engineProblems(lockWithDev, '23.1.0', semver)).toHaveLength(1);
  });
});
