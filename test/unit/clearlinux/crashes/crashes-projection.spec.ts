import { neverGuiltyPredicate, parseCrashReport, type FramePair } from '../../../../src/sources/clearlinux/crashes/backtrace';
import { crashReprocessRequested } from '../../../../src/sources/clearlinux/crashes/crash-reprocess.events';
import { guiltyId } from '../../../../src/sources/clearlinux/crashes/guilty';
import { CRASH_CLASSIFICATIONS } from '../../../../src/sources/clearlinux/record/classification';
import { crashesProjector, NeverGuiltyView, projectCrash, reprocessCrash } from '../../../../src/sources/clearlinux/crashes/crashes.projection';
import { neverGuiltyHash } from '../../../../src/sources/clearlinux/crashes/never-guilty/never-guilty.repository';
import { parseV2Record } from '../../../../src/sources/clearlinux/ingest/record-parser';
import { recordAccepted } from '../../../../src/sources/clearlinux/record/record.events';
import type { RowWrite } from '../../../../src/event-log/projector';
import { readFixture, readFixtureText } from '../../../support/fixtures';
import { headers } from '../helpers';

type Vector = { name: string; backtrace: string; never_guilty: FramePair[]; expected: FramePair | null };
const { vectors } = readFixture<{ vectors: Vector[] }>('clearlinux/guilty-vectors.json');

function accepted(classification: string, payload: string) {
  const parsed = parseV2Record(headers({ classification }), payload);
  return recordAccepted(parsed, 42, '2026-11-23T10:00:00.000Z', { protocol: 'v2', headers: {}, payload });
}
const listOf = (pairs: FramePair[]): NeverGuiltyView => ({ isNeverGuilty: neverGuiltyPredicate(pairs), hash: neverGuiltyHash(pairs) });
const none = listOf([]);
/** The crash row, followed by the removal of an earlier copy of the same event (Kafka can deliver one twice). */
const rowOf = (writes: RowWrite[]) => {
  expect(writes).toHaveLength(2);
  expect(writes[1]).toMatchObject({ kind: 'sql', sql: expect.stringContaining('DELETE FROM crashes WHERE log_event_id'), tables: ['crashes'] });
  const w = writes[0];
  if (w.kind !== 'insert') throw new Error('expected an insert');
  expect(w.rows).toHaveLength(1);
  return w.rows[0] as Record<string, unknown>;
};

describe('projectCrash', () => {
  it('writes one idempotent row for a crash/clr record with frames, process fields and guilty frame', () => {
    const event = accepted('org.clearlinux/crash/clr', readFixtureText('clearlinux/crash-clr-basic.txt'));
    const writes = projectCrash(event, none);
    expect(writes[0]).toMatchObject({ kind: 'insert', table: 'crashes', conflict: { target: ['log_event_id', 'ts_reception'], action: 'nothing' } });
    const row = rowOf(writes);
    expect(row).toMatchObject({
      record_id: 42,
      log_event_id: event.id,
      classification: 'org.clearlinux/crash/clr',
      build: '29940',
      ts_reception: '2026-11-23T10:00:00.000Z',
      ts_capture: '2017-09-12 16:54:09+00',
      program: '/usr/bin/gnome-calculator',
      pid: 4121,
      signal: 11,
      guilty_function: 'raise()',
      guilty_module: '/usr/lib64/libc.so.6',
    });
    expect(JSON.parse(row.frames as string)).toHaveLength(8);
  });

  it('uses the never-guilty list it is given', () => {
    const event = accepted('org.clearlinux/crash/clr', readFixtureText('clearlinux/crash-clr-basic.txt'));
    const list = listOf([
      { function: 'raise()', module: '/usr/lib64/libc.so.6' },
      { function: 'abort()', module: '/usr/lib64/libc.so.6' },
    ]);
    expect(rowOf(projectCrash(event, list))).toMatchObject({ guilty_function: 'g_assertion_message()' });
  });

  it.each(vectors)('guilty of vector $name as findGuiltyFrame gives it', ({ backtrace, never_guilty, expected }) => {
    const row = rowOf(projectCrash(accepted('org.clearlinux/kernel/bug', backtrace), listOf(never_guilty)));
    expect({ function: row.guilty_function, module: row.guilty_module }).toEqual(expected ?? { function: null, module: null });
  });

  it.each(CRASH_CLASSIFICATIONS.map((c) => [c]))('%s yields one row', (classification) => {
    expect(projectCrash(accepted(classification, 'x\n#0 f() - [m]\n'), none)).toHaveLength(2);
  });

  it.each(['org.clearlinux/crash/unknown', 'org.clearlinux/crash/clr-build', 'org.clearlinux/crash/error'])(
    '%s is counted but never parsed (spec 7.1)',
    (classification) => {
      const row = rowOf(projectCrash(accepted(classification, readFixtureText('clearlinux/crash-clr-error-truncated.txt')), none));
      expect(row).toMatchObject({ frames: '[]', guilty_function: null, guilty_module: null, program: null });
    },
  );

  it.each(['org.clearlinux/hello/world', 'org.clearlinux/mce/corrected', 'org.clearlinux/crash/clrx'])('%s yields no row', (classification) => {
    expect(projectCrash(accepted(classification, 'x\n#0 f() - [m]\n'), none)).toEqual([]);
  });

  it('a backtrace record without frames has no guilty (stays unprocessed)', () => {
    expect(rowOf(projectCrash(accepted('org.clearlinux/crash/clr', 'Process: /x\n'), none))).toMatchObject({ frames: '[]', guilty_function: null });
  });

  it('the projector asks for the list at projection time, so a replay uses the list as it is then', () => {
    let list: NeverGuiltyView = none;
    const projector = crashesProjector(() => list);
    const event = accepted('org.clearlinux/crash/clr', readFixtureText('clearlinux/crash-clr-basic.txt'));
    expect(rowOf([...projector.project(event)])).toMatchObject({ guilty_function: 'raise()' });
    list = listOf([{ function: 'raise()', module: '/usr/lib64/libc.so.6' }]);
    expect(rowOf([...projector.project(event)])).toMatchObject({ guilty_function: 'abort()' });
    expect(projector).toMatchObject({
      name: 'clearlinux-crashes',
      tables: ['crashes'],
      eventTypes: ['clearlinux.record.accepted', 'clearlinux.crash.reprocess-requested'],
    });
  });

  it("references the guilty by the pair's id", () => {
    expect(rowOf(projectCrash(accepted('org.clearlinux/crash/clr', 'x\n#0 f() - [m]\n'), none)).guilty_id).toBe(guiltyId({ function: 'f()', module: 'm' }));
    expect(rowOf(projectCrash(accepted('org.clearlinux/crash/clr', 'Process: /x\n'), none)).guilty_id).toBeNull();
  });

  it('records which list the crash was grouped with', () => {
    const list = listOf([{ function: 'raise()', module: '/usr/lib64/libc.so.6' }]);
    expect(rowOf(projectCrash(accepted('org.clearlinux/crash/clr', 'x\n#0 f() - [m]\n'), list)).grouped_with).toBe(list.hash);
  });
});

describe('reprocessCrash (spec 7.5 "apply" to one crash)', () => {
  const frames = parseCrashReport(readFixtureText('clearlinux/crash-clr-basic.txt')).frames;
  const event = crashReprocessRequested({ record_id: '42', frames }, '2026-11-23T11:00:00.000Z');

  it('re-chooses the guilty of that record only, from its stored frames, with the list at projection time', () => {
    const list = listOf([{ function: 'raise()', module: '/usr/lib64/libc.so.6' }]);
    const [write] = reprocessCrash(event, list);
    expect(write).toMatchObject({ kind: 'sql' });
    if (write.kind !== 'sql') throw new Error('expected sql');
    expect(write.sql).toMatch(/UPDATE crashes SET .* WHERE record_id = \$1::bigint/s);
    expect(write.params).toEqual(['42', 'abort()', '/usr/lib64/libc.so.6', guiltyId({ function: 'abort()', module: '/usr/lib64/libc.so.6' }), list.hash]);
  });

  it('carries only (function, module) of each frame and survives a JSON round trip', () => {
    expect(event.data.frames[0]).toEqual({ function: 'raise()', module: '/usr/lib64/libc.so.6' });
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
    expect(event).toMatchObject({ type: 'clearlinux.crash.reprocess-requested', stream: 'platform.admin', data: { recordId: '42' } });
  });
});

describe('neverGuiltyHash', () => {
  const a = { function: 'a()', module: '/m' };
  const b = { function: 'b()', module: '/m' };
  it('ignores order and duplicates, and tells lists apart', () => {
    expect(neverGuiltyHash([a, b])).toBe(neverGuiltyHash([b, a, b]));
    expect(neverGuiltyHash([a])).not.toBe(neverGuiltyHash([a, b]));
    expect(neverGuiltyHash([])).not.toBe(neverGuiltyHash([a]));
    expect(neverGuiltyHash([{ function: 'a', module: 'b|c' }])).not.toBe(neverGuiltyHash([{ function: 'a|b', module: 'c' }]));
  });
});
