import {
  crashingThreadFrames,
  findGuiltyFrame,
  isUnknownFunction,
  offeredFrames,
  pairKey,
  parseCrashReport,
  parseFrameLine,
  splitLines,
} from '../../../../src/sources/clearlinux/crashes/backtrace';
import { readFixtureText } from '../../../support/fixtures';

describe('parseFrameLine (spec 7.3)', () => {
  it.each([
    ['#0 raise() - [/usr/lib64/libc.so.6]', { number: 0, function: 'raise()', module: '/usr/lib64/libc.so.6', rest: '' }],
    [
      '#4 math_equation_solve() - [/usr/bin/gnome-calculator] - math-equation.c:1402',
      { number: 4, function: 'math_equation_solve()', module: '/usr/bin/gnome-calculator', rest: ' - math-equation.c:1402' },
    ],
    ['#12 ??? - [/usr/lib64/libfoo.so.1]', { number: 12, function: '???', module: '/usr/lib64/libfoo.so.1', rest: '' }],
    ['#6 ? update_curr - [kernel]', { number: 6, function: '? update_curr', module: 'kernel', rest: '' }],
    ['#1 (no symbols)', { number: 1, function: '???', module: '', rest: '' }],
    // Function is the longest match: the split is at the last " - [" that is followed by "]".
    ['#0 a - [b] - [c] tail', { number: 0, function: 'a - [b]', module: 'c', rest: ' tail' }],
    ['#0 a - [b] - [c', { number: 0, function: 'a', module: 'b', rest: ' - [c' }],
    // Module runs to the last "]".
    ['#0 f() - [m] x] y', { number: 0, function: 'f()', module: 'm] x', rest: ' y' }],
    ['#0 operator[]() - [/m]', { number: 0, function: 'operator[]()', module: '/m', rest: '' }],
    ['#0 f - []', { number: 0, function: 'f', module: '', rest: '' }],
    ['#0  f - [m]', { number: 0, function: ' f', module: 'm', rest: '' }],
    ['#0 f\u2028g - [m]', { number: 0, function: 'f\u2028g', module: 'm', rest: '' }],
  ])('%j', (line, expected) => {
    expect(parseFrameLine(line)).toEqual(expected);
  });

  it.each([
    'Backtrace (TID 4121):',
    '# 0 f - [m]',
    '#x f - [m]',
    '#0 f - m]',
    '#0 f - [m',
    ' #0 f - [m]',
    '#0 - [m]',
    '#0f - [m]',
    '#1 (no symbols) extra',
    '(no symbols)',
    '',
  ])('%j is not a frame', (line) => {
    expect(parseFrameLine(line)).toBeNull();
  });
});

describe('splitLines', () => {
  it('splits on \\n, \\r\\n and \\r', () => {
    expect(splitLines('a\r\nb\rc\nd\n\re')).toEqual(['a', 'b', 'c', 'd', '', 'e']);
  });
});

describe('isUnknownFunction', () => {
  it.each([
    ['???', true],
    ['? dump_stack', true],
    ['?', false],
    ['??', false],
    ['?foo', false],
    ['raise()', false],
  ])('%j → %s', (fn, expected) => {
    expect(isUnknownFunction(fn)).toBe(expected);
  });
});

describe('parseCrashReport on the fixture payloads (spec 7.2)', () => {
  it('crash-clr-basic.txt: crashing thread only', () => {
    const report = parseCrashReport(readFixtureText('clearlinux/crash-clr-basic.txt'));
    expect(report).toMatchObject({ program: '/usr/bin/gnome-calculator', pid: 4121, signal: 11, reason: null });
    expect(report.frames).toHaveLength(8);
    expect(report.frames.slice(0, 2)).toEqual([
      { number: 0, function: 'raise()', module: '/usr/lib64/libc.so.6', rest: '' },
      { number: 1, function: 'abort()', module: '/usr/lib64/libc.so.6', rest: '' },
    ]);
    expect(report.frames[4]).toEqual({
      number: 4,
      function: 'math_equation_solve()',
      module: '/usr/bin/gnome-calculator',
      rest: ' - math-equation.c:1402',
    });
    expect(report.frames[7]).toEqual({ number: 7, function: '_start()', module: '/usr/bin/gnome-calculator', rest: '' });
    expect(report.frames.map((f) => f.function)).not.toContain('poll()');
  });

  it('crash-clr-unknown-frames.txt', () => {
    const report = parseCrashReport(readFixtureText('clearlinux/crash-clr-unknown-frames.txt'));
    expect(report).toMatchObject({ program: '/usr/bin/foo', pid: 977, signal: 6 });
    expect(report.frames).toHaveLength(6);
    expect(report.frames[0]).toEqual({ number: 0, function: '???', module: '/usr/lib64/libfoo.so.1', rest: '' });
    expect(report.frames[2]).toEqual({
      number: 2,
      function: 'foo_parse_config()',
      module: '/usr/lib64/libfoo.so.1',
      rest: ' - config.c:88',
    });
    expect(report.frames[5]).toEqual({ number: 5, function: '_start()', module: '/usr/bin/foo', rest: '' });
  });

  it('crash-clr-error-truncated.txt: the (no symbols) frame is kept as an unknown frame', () => {
    const report = parseCrashReport(readFixtureText('clearlinux/crash-clr-error-truncated.txt'));
    expect(report).toEqual({
      program: '/usr/bin/bar',
      pid: 312,
      signal: 11,
      reason: null,
      frames: [
        { number: 0, function: 'bar_render()', module: '/usr/bin/bar', rest: '' },
        { number: 1, function: '???', module: '', rest: '' },
      ],
    });
  });

  it('kernel-warning.txt: klogscanner frames, no process fields', () => {
    const report = parseCrashReport(readFixtureText('clearlinux/kernel-warning.txt'));
    expect(report).toMatchObject({
      program: null,
      pid: null,
      signal: null,
      reason: 'WARNING: CPU: 1 PID: 796 at kernel/sched/core.c:2342 preempt_notifier_register+0x30/0x70',
    });
    expect(report.frames).toHaveLength(9);
    expect(report.frames[0]).toEqual({ number: 1, function: 'dump_stack', module: 'kernel', rest: '' });
    expect(report.frames[4]).toEqual({ number: 5, function: 'VBoxHost_RTThreadCtxHooksRegister', module: 'kernel', rest: '' });
    expect(report.frames[5]).toEqual({ number: 6, function: '? update_curr', module: 'kernel', rest: '' });
    expect(report.frames[8]).toEqual({ number: 9, function: '? SyS_ioctl', module: 'kernel', rest: '' });
  });

  it('kernel-bug-unknown-only.txt: Register lines before the frames are skipped', () => {
    const report = parseCrashReport(readFixtureText('clearlinux/kernel-bug-unknown-only.txt'));
    expect(report).toEqual({
      program: null,
      pid: null,
      signal: null,
      reason: 'BUG: unable to handle kernel NULL pointer dereference at 0000000000000008',
      frames: [
        { number: 1, function: '? dump_stack', module: 'kernel', rest: '' },
        { number: 2, function: '? alloc_pipe_info', module: 'kernel', rest: '' },
        { number: 3, function: '? create_pipe_files', module: 'kernel', rest: '' },
      ],
    });
  });

  it('hello-world.txt has no frames', () => {
    expect(parseCrashReport(readFixtureText('clearlinux/hello-world.txt'))).toEqual({
      program: null,
      pid: null,
      signal: null,
      reason: null,
      frames: [],
    });
  });

  it('reads Process/PID/Signal only in their exact form', () => {
    expect(parseCrashReport('Process: /a b\nPID: 12x\nSignal: \nPID: 7\n')).toMatchObject({
      program: '/a b',
      pid: 7,
      signal: null,
    });
  });
});

describe('findGuiltyFrame on the fixture payloads', () => {
  it.each([
    ['crash-clr-basic.txt', { function: 'raise()', module: '/usr/lib64/libc.so.6' }],
    ['crash-clr-unknown-frames.txt', { function: 'foo_parse_config()', module: '/usr/lib64/libfoo.so.1' }],
    ['crash-clr-error-truncated.txt', { function: 'bar_render()', module: '/usr/bin/bar' }],
    ['kernel-warning.txt', { function: 'dump_stack', module: 'kernel' }],
    ['kernel-bug-unknown-only.txt', { function: '? dump_stack', module: 'kernel' }],
    ['hello-world.txt', null],
    ['mce-corrected.txt', null],
  ])('%s → %j', (file, expected) => {
    expect(findGuiltyFrame(readFixtureText(`clearlinux/${file}`), [])).toEqual(expected);
  });

  it('crash-clr-error-truncated.txt with bar_render() never-guilty falls back to the (no symbols) frame', () => {
    const payload = readFixtureText('clearlinux/crash-clr-error-truncated.txt');
    expect(findGuiltyFrame(payload, [{ function: 'bar_render()', module: '/usr/bin/bar' }])).toEqual({
      function: '???',
      module: '',
    });
  });

  it('the guilty is always among the displayed frames', () => {
    for (const file of ['crash-clr-basic.txt', 'crash-clr-unknown-frames.txt', 'kernel-warning.txt']) {
      const payload = readFixtureText(`clearlinux/${file}`);
      const guilty = findGuiltyFrame(payload, []);
      const shown = crashingThreadFrames(payload).map((f) => pairKey(f.function, f.module));
      expect(shown).toContain(pairKey(guilty?.function ?? '', guilty?.module ?? ''));
    }
  });
});

describe('pairKey', () => {
  it('cannot be confused by separators inside the strings', () => {
    expect(pairKey('a', 'b|c')).not.toBe(pairKey('a|b', 'c'));
    expect(pairKey('a - [b', 'c')).not.toBe(pairKey('a', 'b - [c'));
    expect(pairKey('f', 'm')).toBe(pairKey('f', 'm'));
  });
});

describe('offeredFrames (spec 7.5)', () => {
  it('drops _start() and __libc_start_main() in libc.so.6 from crash-clr-basic.txt', () => {
    const frames = parseCrashReport(readFixtureText('clearlinux/crash-clr-basic.txt')).frames;
    expect(offeredFrames(frames).map((f) => f.function)).toEqual([
      'raise()',
      'abort()',
      'g_assertion_message()',
      'g_assertion_message_expr()',
      'math_equation_solve()',
      'main()',
    ]);
  });

  it.each([
    [{ function: '_start()', module: '/usr/bin/foo' }, false],
    [{ function: '_start()', module: '/usr/lib64/libc.so.6' }, false],
    [{ function: '__libc_start_main()', module: '/usr/lib64/libc.so.6' }, false],
    [{ function: '__libc_start_main()', module: '/lib/x86_64-linux-gnu/libc.so.6' }, false],
    [{ function: '__libc_start_main()', module: '/usr/lib/libmusl.so' }, true],
    [{ function: '_start_thread()', module: '/usr/bin/foo' }, true],
    [{ function: 'main()', module: '/usr/lib64/libc.so.6' }, true],
    [{ function: '???', module: '' }, true],
  ])('%j offered: %s', (frame, offered) => {
    expect(offeredFrames([frame])).toEqual(offered ? [frame] : []);
  });
});
