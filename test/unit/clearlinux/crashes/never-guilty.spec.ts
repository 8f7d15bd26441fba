import { InvalidInput } from '../../../../src/common/errors';
import { DirectorySchemas } from '../../../../src/common/directory-schemas';
import { parseEditBody } from '../../../../src/sources/clearlinux/crashes/never-guilty/edit-request';
import { diffGroups } from '../../../../src/sources/clearlinux/crashes/group-diff';
import { parseFramePairs, planEdit, planFromCrash } from '../../../../src/sources/clearlinux/crashes/never-guilty/never-guilty.edit';
import { NEVER_GUILTY_MARKED, NEVER_GUILTY_UNMARKED, neverGuiltyEdited } from '../../../../src/sources/clearlinux/crashes/never-guilty/never-guilty.events';
import { projectNeverGuilty } from '../../../../src/sources/clearlinux/crashes/never-guilty/never-guilty.projection';
import { parseCrashReport } from '../../../../src/sources/clearlinux/crashes/backtrace';
import { readFixtureText } from '../../../support/fixtures';

const libc = (fn: string) => ({ function: fn, module: '/usr/lib64/libc.so.6' });
const AT = '2026-11-23T10:00:00.000Z';

describe('never-guilty events and projection', () => {
  it('an edit is plain JSON data on the admin stream', () => {
    const e = neverGuiltyEdited(NEVER_GUILTY_MARKED, [{ ...libc('raise()'), extra: 1 } as never], AT);
    expect(e).toMatchObject({ type: NEVER_GUILTY_MARKED, stream: 'platform.admin', receivedAt: AT, data: { frames: [libc('raise()')] } });
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });

  it('marking inserts, keeping the first marking time of a listed pair', () => {
    expect(projectNeverGuilty(neverGuiltyEdited(NEVER_GUILTY_MARKED, [libc('raise()')], AT))).toEqual([
      {
        kind: 'insert',
        table: 'clr_never_guilty',
        rows: [{ function: 'raise()', module: '/usr/lib64/libc.so.6', marked_at: AT }],
        conflict: { target: ['function', 'module'], action: 'nothing' },
      },
    ]);
  });

  it('unmarking deletes exactly the given pairs', () => {
    const [w] = projectNeverGuilty(neverGuiltyEdited(NEVER_GUILTY_UNMARKED, [libc('raise()'), { function: 'f', module: '' }], AT));
    expect(w).toMatchObject({ kind: 'sql', params: [['raise()', 'f'], ['/usr/lib64/libc.so.6', '']] });
  });
});

describe('planEdit', () => {
  const current = [libc('raise()')];
  it('keeps only changes, warning about the rest (spec 7.5: adding an existing pair is a no-op)', () => {
    expect(planEdit(current, [libc('raise()'), libc('abort()'), libc('abort()')], [libc('exit()')])).toEqual({
      mark: [libc('abort()')],
      unmark: [],
      warnings: ['exit() - [/usr/lib64/libc.so.6] is not never-guilty', 'raise() - [/usr/lib64/libc.so.6] is already never-guilty'],
    });
    expect(planEdit(current, [], [libc('raise()')])).toEqual({ mark: [], unmark: [libc('raise()')], warnings: [] });
  });
});

describe('planFromCrash (spec 7.5 edit from one crash)', () => {
  const frames = parseCrashReport(readFixtureText('clearlinux/crash-clr-basic.txt')).frames;
  it('sets exactly the checked offered frames and unmarks the unchecked listed ones', () => {
    const plan = planFromCrash(frames, [libc('abort()')], [libc('raise()'), { function: 'other()', module: '/x' }]);
    expect(plan).toEqual({ mark: [libc('abort()')], unmark: [libc('raise()')], warnings: [] });
  });
  it('refuses a frame that is not offered (_start(), __libc_start_main() in libc, or foreign)', () => {
    expect(() => planFromCrash(frames, [libc('__libc_start_main()')], [])).toThrow(InvalidInput);
    expect(() => planFromCrash(frames, [{ function: 'nope()', module: '/x' }], [])).toThrow('not an offered frame');
  });
});

describe('parseFramePairs', () => {
  it.each([
    ['x', 'mark must be an array'],
    [[{ module: 'm' }], 'mark[0].function'],
    [[{ function: 'f', module: 1 }], 'mark[0].module'],
    [[{ function: 'f'.repeat(4097), module: '' }], 'mark[0].function'],
  ])('%j → 400 naming the field', (value, message) => {
    expect(() => parseFramePairs(value, 'mark')).toThrow(message);
  });
  it('accepts an empty module', () => {
    expect(parseFramePairs([{ function: '???', module: '' }], 'mark')).toEqual([{ function: '???', module: '' }]);
  });
});

describe('diffGroups', () => {
  const g = (fn: string | null, crashes: number) => ({ function: fn, module: fn === null ? null : 'm', crashes });
  it('reports split-off and merged groups and conserves totals', () => {
    const d = diffGroups([g('raise()', 5), g('x()', 2), g(null, 1)], [g('foo()', 3), g('bar()', 2), g('x()', 2), g(null, 1)]);
    expect(d).toEqual({
      totalBefore: 8,
      totalAfter: 8,
      gained: 2,
      lost: 1,
      changes: [
        { function: 'raise()', module: 'm', before: 5, after: 0, change: 'gone' },
        { function: 'foo()', module: 'm', before: 0, after: 3, change: 'new' },
        { function: 'bar()', module: 'm', before: 0, after: 2, change: 'new' },
      ],
    });
  });
  it('a merge grows one group and removes the others', () => {
    const d = diffGroups([g('a', 1), g('b', 2)], [g('b', 3)]);
    expect(d.changes).toEqual([
      { function: 'a', module: 'm', before: 1, after: 0, change: 'gone' },
      { function: 'b', module: 'm', before: 2, after: 3, change: 'grew' },
    ]);
  });
  it('no change, no rows', () => {
    expect(diffGroups([g('a', 1)], [g('a', 1)]).changes).toEqual([]);
  });
});

/**
 * The edit body is checked by hand (so a 400 names the field, e.g. `mark[1].function`, where ajv's `oneOf`
 * could only say "must match exactly one schema"); its JSON Schema documents it in Swagger. Both must
 * accept and refuse the same bodies.
 */
describe('never-guilty edit body: parser and JSON Schema agree', () => {
  const schemas = new DirectorySchemas<'clearlinux/never-guilty-edit.v1'>('clearlinux');
  const long = 'x'.repeat(4097);
  const bodies: [string, Record<string, unknown>][] = [
    ['one pair', { function: 'raise()', module: '/usr/lib64/libc.so.6' }],
    ['one pair, empty module', { function: 'raise()', module: '' }],
    ['lists', { mark: [libc('abort()')], unmark: [libc('raise()')] }],
    ['mark only', { mark: [libc('abort()')] }],
    ['empty function', { function: '', module: 'm' }],
    ['function too long', { function: long, module: 'm' }],
    ['module not a string', { function: 'f', module: 7 }],
    ['module missing', { function: 'f' }],
    ['list item without module', { mark: [{ function: 'f' }] }],
    ['list item with a long module', { unmark: [{ function: 'f', module: long }] }],
    ['mark not a list', { mark: libc('abort()') }],
    ['nothing to do', {}],
    ['two empty lists', { mark: [], unmark: [] }],
  ];
  it.each(bodies)('%s', (_name, body) => {
    const byParser = (() => {
      try {
        parseEditBody(body);
        return true;
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidInput);
        return false;
      }
    })();
    expect(schemas.check('clearlinux/never-guilty-edit.v1', body) === null).toBe(byParser);
  });
});
