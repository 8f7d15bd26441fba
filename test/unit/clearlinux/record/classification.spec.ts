import {
  BACKTRACE_CLASSIFICATIONS,
  CRASH_CLASSIFICATIONS,
  MCE_CLASSIFICATIONS,
  OTHER_CRASH_CLASSIFICATIONS,
  THERMAL_CLASSIFICATION,
  classificationFilterChoices,
  classificationPatternToLike,
  isBacktraceClassification,
  isCrashClassification,
  splitClassification,
} from '../../../../src/sources/clearlinux/record/classification';

describe('splitClassification', () => {
  it.each([
    ['org.clearlinux/crash/clr', { domain: 'org.clearlinux', probe: 'crash', rest: 'clr' }],
    ['a/b/c', { domain: 'a', probe: 'b', rest: 'c' }],
    ['a/b', { domain: 'a', probe: 'b', rest: '' }],
    ['a', { domain: 'a', probe: '', rest: '' }],
    ['a/b/c/d', { domain: 'a', probe: 'b', rest: 'c/d' }],
  ])('%s', (classification, expected) => {
    expect(splitClassification(classification)).toEqual(expected);
  });
});

describe('class lists (spec 7.1, 8.5, 8.6)', () => {
  it('has the four backtrace classes', () => {
    expect([...BACKTRACE_CLASSIFICATIONS]).toEqual([
      'org.clearlinux/crash/clr',
      'org.clearlinux/kernel/bug',
      'org.clearlinux/kernel/stackoverflow',
      'org.clearlinux/kernel/warning',
    ]);
  });

  it('has the three other crash classes and seven in all', () => {
    expect([...OTHER_CRASH_CLASSIFICATIONS]).toEqual([
      'org.clearlinux/crash/unknown',
      'org.clearlinux/crash/clr-build',
      'org.clearlinux/crash/error',
    ]);
    expect(CRASH_CLASSIFICATIONS).toHaveLength(7);
  });

  it('has the MCE and thermal classes, case-sensitive', () => {
    expect([...MCE_CLASSIFICATIONS]).toEqual([
      'org.clearlinux/mce/corrected',
      'org.clearlinux/mce/SRAO',
      'org.clearlinux/mce/SRAR',
      'org.clearlinux/mce/UCNA',
    ]);
    expect(THERMAL_CLASSIFICATION).toBe('org.clearlinux/mce/thermal');
  });

  it.each([
    ['org.clearlinux/kernel/warning', true, true],
    ['org.clearlinux/crash/error', false, true],
    ['org.clearlinux/crash/Clr', false, false],
    ['org.clearlinux/hello/world', false, false],
  ])('%s: backtrace %s, crash %s', (c, backtrace, crash) => {
    expect(isBacktraceClassification(c)).toBe(backtrace);
    expect(isCrashClassification(c)).toBe(crash);
  });
});

describe('classificationPatternToLike (spec 8.1)', () => {
  it.each([
    ['org.clearlinux/*', 'org.clearlinux/%'],
    ['org.clearlinux/crash/*', 'org.clearlinux/crash/%'],
    ['org.clearlinux/crash/clr', 'org.clearlinux/crash/clr'],
    ['my_domain/*', 'my\\_domain/%'],
    ['100%/x/*', '100\\%/x/%'],
    ['a\\b/c/d', 'a\\\\b/c/d'],
    ['a/b*', 'a/b*'],
    ['*', '*'],
  ])('%s → %s', (pattern, like) => {
    expect(classificationPatternToLike(pattern)).toBe(like);
  });

  // Reference LIKE matcher (ESCAPE '\') to show the patterns match what they should.
  const like = (pattern: string, value: string): boolean => {
    let re = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === '\\') re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      else if (c === '%') re += '.*';
      else if (c === '_') re += '.';
      else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${re}$`, 's').test(value);
  };

  it.each([
    ['org.clearlinux/*', 'org.clearlinux/crash/clr', true],
    ['org.clearlinux/*', 'org.clearlinuxx/crash/clr', false],
    ['org.clearlinux/crash/*', 'org.clearlinux/crash/clr-build', true],
    ['org.clearlinux/crash/*', 'org.clearlinux/crashprobe/x', false],
    ['my_domain/*', 'myXdomain/a/b', false],
    ['my_domain/*', 'my_domain/a/b', true],
    ['100%/x/*', '1000/x/y', false],
    ['org.clearlinux/crash/clr', 'org.clearlinux/crash/clr', true],
    ['org.clearlinux/crash/clr', 'org.clearlinux/crash/clr-build', false],
  ])('%s matches %s: %s', (pattern, value, expected) => {
    expect(like(classificationPatternToLike(pattern), value)).toBe(expected);
  });
});

describe('classificationFilterChoices', () => {
  it('adds the DOMAIN/* and DOMAIN/PROBE/* forms, sorted and unique', () => {
    expect(
      classificationFilterChoices(['org.clearlinux/crash/clr', 'org.clearlinux/crash/error', 'org.clearlinux/hello/world']),
    ).toEqual([
      'org.clearlinux/*',
      'org.clearlinux/crash/*',
      'org.clearlinux/crash/clr',
      'org.clearlinux/crash/error',
      'org.clearlinux/hello/*',
      'org.clearlinux/hello/world',
    ]);
  });
});
