import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { declaredLicence, isPermissiveExpression, parseSpdxExpression } from '../../../ops/licences';

describe('SPDX licence expressions (ops/check-licences.js)', () => {
  it('a single permissive id passes, a copyleft one does not', () => {
    expect(isPermissiveExpression('MIT')).toBe(true);
    expect(isPermissiveExpression('Apache-2.0')).toBe(true);
    expect(isPermissiveExpression('AGPL-3.0-or-later')).toBe(false);
    expect(isPermissiveExpression('GPL-3.0-only')).toBe(false);
  });
  it('compares ids case-insensitively, as the SPDX spec asks', () => {
    expect(isPermissiveExpression('mit')).toBe(true);
    expect(isPermissiveExpression('apache-2.0')).toBe(true);
  });
  it('OR passes when any choice is allowed', () => {
    expect(isPermissiveExpression('(MIT OR CC0-1.0)')).toBe(true);
    expect(isPermissiveExpression('(GPL-2.0-only OR MIT)')).toBe(true);
    expect(isPermissiveExpression('GPL-2.0-only OR AGPL-3.0-only')).toBe(false);
  });
  it('AND passes only when every part is allowed', () => {
    expect(isPermissiveExpression('MIT AND ISC')).toBe(true);
    expect(isPermissiveExpression('(MIT AND GPL-3.0-only)')).toBe(false);
  });
  it('AND binds tighter than OR, parentheses override', () => {
    expect(parseSpdxExpression('MIT OR GPL-3.0-only AND ISC')).toEqual({ or: [{ id: 'MIT' }, { and: [{ id: 'GPL-3.0-only' }, { id: 'ISC' }] }] });
    expect(isPermissiveExpression('MIT OR GPL-3.0-only AND ISC')).toBe(true);
    expect(isPermissiveExpression('(MIT OR GPL-3.0-only) AND LGPL-2.1-only')).toBe(false);
    expect(isPermissiveExpression('((BSD-3-Clause OR GPL-2.0-only) AND (MIT OR AGPL-3.0-only))')).toBe(true);
  });
  it('reads lower-case operators that old package.json files write', () => {
    expect(isPermissiveExpression('MIT or GPL-3.0-only')).toBe(true);
    expect(isPermissiveExpression('MIT and GPL-3.0-only')).toBe(false);
  });
  it('an "or later" + and a WITH exception follow the base licence, unless the exact WITH form is allowed', () => {
    expect(isPermissiveExpression('Apache-2.0+')).toBe(true);
    expect(isPermissiveExpression('GPL-2.0+')).toBe(false);
    expect(isPermissiveExpression('Apache-2.0 WITH LLVM-exception')).toBe(true);
    expect(parseSpdxExpression('GPL-2.0-only WITH Classpath-exception-2.0')).toEqual({ id: 'GPL-2.0-only', exception: 'Classpath-exception-2.0' });
    expect(isPermissiveExpression('GPL-2.0-only WITH Classpath-exception-2.0')).toBe(false);
    expect(isPermissiveExpression('GPL-2.0-only WITH Classpath-exception-2.0', ['GPL-2.0-only WITH Classpath-exception-2.0'])).toBe(true);
  });
  it('throws on what is not an SPDX expression instead of guessing', () => {
    expect(() => isPermissiveExpression('SEE LICENSE IN LICENSE.txt')).toThrow(SyntaxError);
    expect(() => isPermissiveExpression('(MIT OR ISC')).toThrow(/unclosed parenthesis/);
    expect(() => isPermissiveExpression('MIT OR')).toThrow(/ends early/);
    expect(() => isPermissiveExpression('')).toThrow(/ends early/);
    expect(() => isPermissiveExpression('MIT WITH')).toThrow(/WITH without an exception id/);
  });
  it('UNLICENSED (npm: not licensed to anyone) and LicenseRef-* ids are not allowed', () => {
    expect(isPermissiveExpression('UNLICENSED')).toBe(false);
    expect(isPermissiveExpression('LicenseRef-Proprietary')).toBe(false);
  });
});

describe('declaredLicence', () => {
  it('reads the current license field', () => {
    expect(declaredLicence({ license: 'MIT' })).toBe('MIT');
    expect(declaredLicence({ license: '(MIT OR Apache-2.0)' })).toBe('(MIT OR Apache-2.0)');
  });
  it('reads the legacy forms: license object and licenses array, whose entries are alternatives', () => {
    expect(declaredLicence({ license: { type: 'BSD-3-Clause', url: 'https://example.org/LICENSE' } })).toBe('BSD-3-Clause');
    expect(declaredLicence({ licenses: [{ type: 'MIT', url: 'https://example.org/MIT' }] })).toBe('MIT');
    const dual = declaredLicence({ licenses: [{ type: 'GPL-2.0-only' }, 'MIT'] });
    expect(dual).toBe('(GPL-2.0-only) OR (MIT)');
    expect(isPermissiveExpression(dual!)).toBe(true);
  });
  it('undefined when nothing is declared', () => {
    expect(declaredLicence({})).toBeUndefined();
    expect(declaredLicence({ licenses: [] })).toBeUndefined();
    expect(declaredLicence({ license: '' })).toBeUndefined();
  });
});

describe('ops/check-licences.js on this repository', () => {
  it('passes: every production dependency in package-lock.json is under a permissive licence', () => {
    const run = spawnSync(process.execPath, [join(__dirname, '../../../ops/check-licences.js')], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^licences: \d+ production packages, all under a permissive licence\n$/);
    expect(run.status).toBe(0);
  });
});
