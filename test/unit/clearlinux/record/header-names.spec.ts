import {
  headerValue,
  normaliseHeaderEntries,
  normaliseHeaderName,
  normaliseRawHeaders,
} from '../../../../src/sources/clearlinux/record/header-names';

describe('normaliseHeaderName (spec 2.1)', () => {
  it.each([
    ['machine_id', 'machine-id'],
    ['Machine-Id', 'machine-id'],
    ['MACHINE-ID', 'machine-id'],
    ['machine-id', 'machine-id'],
    ['Machine_ID', 'machine-id'],
    ['X-Telemetry-TID', 'x-telemetry-tid'],
    ['record_format_version', 'record-format-version'],
  ])('%s → %s', (name, expected) => {
    expect(normaliseHeaderName(name)).toBe(expected);
  });
});

describe('normaliseRawHeaders', () => {
  it('keys every spelling of a field under one name', () => {
    for (const spelling of ['machine_id', 'Machine-Id', 'MACHINE-ID', 'machine-id']) {
      const h = normaliseRawHeaders([spelling, 'abc']);
      expect(headerValue(h, 'Machine-Id')).toBe('abc');
      expect(h['machine-id']).toBe('abc');
    }
  });

  it('keeps the first occurrence in request order', () => {
    const h = normaliseRawHeaders(['machine_id', 'first', 'Machine-Id', 'second', 'MACHINE-ID', 'third']);
    expect(h['machine-id']).toBe('first');
  });

  it('keeps the first occurrence even when it is empty', () => {
    expect(normaliseRawHeaders(['severity', '', 'Severity', '2'])['severity']).toBe('');
  });

  it('trims surrounding spaces and tabs only', () => {
    const h = normaliseRawHeaders(['build', ' \t 17700 \t', 'cpu_model', '\u00a0x\u00a0']);
    expect(h['build']).toBe('17700');
    expect(h['cpu-model']).toBe('\u00a0x\u00a0');
  });

  it('keeps inner whitespace and quotes verbatim', () => {
    expect(normaliseRawHeaders(['build', '"12"', 'cpu_model', 'AMD  EPYC'])).toEqual({
      build: '"12"',
      'cpu-model': 'AMD  EPYC',
    });
  });

  it('ignores a dangling name without value', () => {
    expect(Object.keys(normaliseRawHeaders(['arch', 'x86_64', 'build']))).toEqual(['arch']);
  });

  it('treats __proto__ and constructor as ordinary names', () => {
    const h = normaliseRawHeaders(['__proto__', 'x', 'constructor', 'y']);
    expect(h['--proto--']).toBe('x');
    expect(h['constructor']).toBe('y');
    expect(headerValue(h, 'toString')).toBeUndefined();
  });

  it('is JSON-safe', () => {
    const h = normaliseRawHeaders(['Arch', 'x86_64', 'Host', 'h']);
    expect(JSON.parse(JSON.stringify(h))).toEqual({ arch: 'x86_64', host: 'h' });
  });
});

describe('normaliseHeaderEntries', () => {
  it('applies the same first-wins rule to [name, value] pairs', () => {
    expect(
      normaliseHeaderEntries([
        ['Event_Id', 'a'],
        ['event-id', 'b'],
      ]),
    ).toEqual({ 'event-id': 'a' });
  });
});

describe('headerValue', () => {
  it('looks a field up by any spelling and reports absence as undefined', () => {
    const h = normaliseRawHeaders(['kernel_version', '4.12.5']);
    expect(headerValue(h, 'Kernel-Version')).toBe('4.12.5');
    expect(headerValue(h, 'KERNEL_VERSION')).toBe('4.12.5');
    expect(headerValue(h, 'Board-Name')).toBeUndefined();
  });
});
