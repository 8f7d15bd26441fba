import {
  chooseGuilty,
  findGuiltyFrame,
  neverGuiltyPredicate,
  pairKey,
  parseCrashReport,
  type FramePair,
} from '../../../../src/sources/clearlinux/crashes/backtrace';
import { readFixture } from '../../../support/fixtures';

type GuiltyVector = {
  name: string;
  note: string;
  backtrace: string;
  never_guilty: FramePair[];
  expected: FramePair | null;
  upstream_result?: FramePair | null;
};
type GuiltyVectors = {
  vectors: GuiltyVector[];
  blacklist_membership: { never_guilty: FramePair[]; checks: Array<FramePair & { blacklisted: boolean }> };
};

const fixture = readFixture<GuiltyVectors>('clearlinux/guilty-vectors.json');

describe('guilty frame selection (spec 7.4, guilty-vectors.json)', () => {
  it('has the vectors the spec refers to', () => {
    expect(fixture.vectors.map((v) => v.name)).toEqual(
      expect.arrayContaining(['kernel-question-frames', 'kernel-only-question-frames', 'no-symbols-line']),
    );
    expect(fixture.vectors.length).toBeGreaterThanOrEqual(14);
  });

  it.each(fixture.vectors)('$name: $note', ({ backtrace, never_guilty, expected }) => {
    expect(findGuiltyFrame(backtrace, never_guilty)).toEqual(expected);
  });

  it.each(fixture.vectors)('$name gives the same answer with a Set of pair keys', ({ backtrace, never_guilty, expected }) => {
    const keys = new Set(never_guilty.map((p) => pairKey(p.function, p.module)));
    expect(findGuiltyFrame(backtrace, keys)).toEqual(expected);
  });

  it.each(fixture.vectors)('$name gives the same answer from the stored frames (re-processing one crash)', ({ backtrace, never_guilty, expected }) => {
    expect(chooseGuilty(parseCrashReport(backtrace).frames, never_guilty)).toEqual(expected);
  });

  it.each(fixture.vectors.filter((v) => v.upstream_result !== undefined))(
    '$name differs from the upstream bug',
    ({ backtrace, never_guilty, upstream_result }) => {
      expect(findGuiltyFrame(backtrace, never_guilty)).not.toEqual(upstream_result);
    },
  );

  it.each([
    ['\\r\\n', '\r\n'],
    ['\\r', '\r'],
  ])('splits lines on %s as well', (_name, eol) => {
    for (const { backtrace, never_guilty, expected } of fixture.vectors) {
      expect(findGuiltyFrame(backtrace.replace(/\n/g, eol), never_guilty)).toEqual(expected);
    }
  });
});

describe('never-guilty membership (blacklist_membership)', () => {
  const { never_guilty, checks } = fixture.blacklist_membership;

  it.each(checks)('($function, $module) never-guilty: $blacklisted', (check) => {
    const pair = { function: check.function, module: check.module };
    expect(neverGuiltyPredicate(never_guilty)(pair)).toBe(check.blacklisted);
    expect(neverGuiltyPredicate(new Set(never_guilty.map((p) => pairKey(p.function, p.module))))(pair)).toBe(
      check.blacklisted,
    );
    expect(neverGuiltyPredicate(new Set(never_guilty))(pair)).toBe(check.blacklisted);
  });
});

describe('findGuiltyFrame inputs', () => {
  const payload = 'Process: /x\n\nBacktrace (TID 1):\n#0 a() - [/m]\n#1 b() - [/m]\n';

  it('accepts a predicate', () => {
    expect(findGuiltyFrame(payload, (f) => f.function === 'a()')).toEqual({ function: 'b()', module: '/m' });
  });

  it('accepts an empty set', () => {
    expect(findGuiltyFrame(payload, new Set<string>())).toEqual({ function: 'a()', module: '/m' });
  });

  it('returns only function and module', () => {
    expect(Object.keys(findGuiltyFrame('h\n#0 x - [m] - f.c:1', []) ?? {})).toEqual(['function', 'module']);
  });

  it('treats every "? name" frame as unknown (upstream bug 1), falling back to the first', () => {
    const kernel = 'Crash Report:\nBacktrace :\n#1 ? a - [kernel]\n#2 ? b - [kernel]\n#3 ? c - [kernel]\n#4 d - [kernel]\n';
    expect(findGuiltyFrame(kernel, [])).toEqual({ function: 'd', module: 'kernel' });
    expect(findGuiltyFrame(kernel, [{ function: 'd', module: 'kernel' }])).toEqual({ function: '? a', module: 'kernel' });
  });

  it('prefers the first unknown over a later never-guilty frame, else the last examined frame', () => {
    const p = 'h\n#0 x() - [/m]\n#1 ??? - [/u]\n#2 y() - [/m]\n';
    expect(findGuiltyFrame(p, [{ function: 'x()', module: '/m' }, { function: 'y()', module: '/m' }])).toEqual({
      function: '???',
      module: '/u',
    });
    expect(findGuiltyFrame('h\n#0 x() - [/m]\n#1 y() - [/m]\n', [{ function: 'x()', module: '/m' }, { function: 'y()', module: '/m' }])).toEqual({
      function: 'y()',
      module: '/m',
    });
  });

  it('returns null for an empty payload or a frame only on the first line', () => {
    expect(findGuiltyFrame('', [])).toBeNull();
    expect(findGuiltyFrame('#0 a() - [/m]', [])).toBeNull();
  });
});
