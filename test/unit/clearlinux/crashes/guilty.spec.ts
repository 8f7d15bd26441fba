import { createHash } from 'node:crypto';
import { GUILTY_COMMENTED, GUILTY_HIDDEN, guiltyCommented, guiltyVisibilitySet } from '../../../../src/sources/clearlinux/crashes/guilties/guilty.events';
import { guiltyNotesProjector, projectGuiltyNotes } from '../../../../src/sources/clearlinux/crashes/guilties/guilty.projection';
import { guiltyId, isGuiltyId, parseGuiltyChange, parseGuiltyComment, planGuiltyChange } from '../../../../src/sources/clearlinux/crashes/guilty';

const AT = '2026-11-23T15:20:00.000Z';
const raise = { function: 'raise()', module: '/usr/lib64/libc.so.6' };

describe('guiltyId (spec 7.5: a guilty is a unique (function, module) pair with an id)', () => {
  it('is the first 16 hex digits of sha256("function\\nmodule")', () => {
    // worked out independently of the implementation: sha256 of the exact bytes
    const expected = createHash('sha256').update('raise()\n/usr/lib64/libc.so.6').digest('hex').slice(0, 16);
    expect(guiltyId(raise)).toBe(expected);
    expect(isGuiltyId(guiltyId(raise))).toBe(true);
  });
  it('tells pairs apart that a plain concatenation would confuse, and keeps `? ` prefixes', () => {
    expect(guiltyId({ function: 'a', module: 'bc' })).not.toBe(guiltyId({ function: 'ab', module: 'c' }));
    expect(guiltyId({ function: '? f', module: 'kernel' })).not.toBe(guiltyId({ function: 'f', module: 'kernel' }));
    expect(guiltyId({ function: '???', module: '' })).toMatch(/^[0-9a-f]{16}$/);
  });
  it.each(['', 'ABCDEF0123456789', '0123456789abcdef0', '../etc/passwd'])('refuses %j as an id', (v) => {
    expect(isGuiltyId(v)).toBe(false);
  });
});

describe('parseGuiltyComment (spec 7.5: at most 80 characters)', () => {
  it('accepts 80 characters, counting code points (not UTF-16 units), trimmed', () => {
    expect(parseGuiltyComment('x'.repeat(80))).toBe('x'.repeat(80));
    expect(parseGuiltyComment('é'.repeat(80))).toHaveLength(80);
    expect(parseGuiltyComment('😀'.repeat(80))).toHaveLength(160); // 80 code points, 160 UTF-16 units
    expect(parseGuiltyComment('  fixed in 31890 ')).toBe('fixed in 31890');
  });
  it('refuses 81 characters with a 400 naming the field', () => {
    expect(() => parseGuiltyComment('x'.repeat(81))).toThrow('comment must be at most 80 characters');
    expect(() => parseGuiltyComment('x'.repeat(81))).toThrow(expect.objectContaining({ status: 400 }));
  });
  it('clears on null or blank, refuses other types', () => {
    expect(parseGuiltyComment(null)).toBeNull();
    expect(parseGuiltyComment('   ')).toBeNull();
    expect(() => parseGuiltyComment(42)).toThrow('comment must be a string or null');
  });
});

describe('parseGuiltyChange / planGuiltyChange', () => {
  it('reads hidden and/or comment, and names the bad field', () => {
    expect(parseGuiltyChange({ hidden: true })).toEqual({ hidden: true });
    expect(parseGuiltyChange({ comment: 'c', hidden: false })).toEqual({ comment: 'c', hidden: false });
    expect(() => parseGuiltyChange({ hidden: 'yes' })).toThrow('hidden must be true or false');
    expect(() => parseGuiltyChange({})).toThrow('give hidden and/or comment');
    expect(() => parseGuiltyChange({ comment: 'y'.repeat(81) })).toThrow('comment must be at most 80');
  });
  it('keeps only what differs from the current notes (same value again = no-op)', () => {
    const current = { hidden: true, comment: 'old' };
    expect(planGuiltyChange(current, { hidden: true, comment: 'old' })).toEqual({});
    expect(planGuiltyChange(current, { hidden: false })).toEqual({ hidden: false });
    expect(planGuiltyChange(current, { hidden: true, comment: null })).toEqual({ comment: null });
  });
});

describe('guilty notes projection (hide / unhide / comment)', () => {
  const row = { guilty_id: guiltyId(raise), function: 'raise()', module: '/usr/lib64/libc.so.6', updated_at: AT };

  it('hide sets only the hidden column (comment kept), keyed by the guilty id', () => {
    const e = guiltyVisibilitySet(raise, true, AT);
    expect(e).toMatchObject({ type: GUILTY_HIDDEN, stream: 'platform.admin', key: `guilty:${guiltyId(raise)}`, receivedAt: AT });
    expect(projectGuiltyNotes(e)).toEqual([
      {
        kind: 'insert',
        table: 'clr_guilty_notes',
        rows: [{ ...row, hidden: true, comment: null }],
        conflict: { target: ['guilty_id'], action: 'update', set: ['hidden', 'updated_at'] },
      },
    ]);
  });

  it('unhide sets hidden false', () => {
    expect(projectGuiltyNotes(guiltyVisibilitySet(raise, false, AT))[0]).toMatchObject({ rows: [{ hidden: false }], conflict: { set: ['hidden', 'updated_at'] } });
  });

  it('comment sets only the comment column (hidden flag kept); null clears it', () => {
    const e = guiltyCommented(raise, 'fixed in 31890', AT);
    expect(e.type).toBe(GUILTY_COMMENTED);
    expect(projectGuiltyNotes(e)[0]).toEqual({
      kind: 'insert',
      table: 'clr_guilty_notes',
      rows: [{ ...row, hidden: false, comment: 'fixed in 31890' }],
      conflict: { target: ['guilty_id'], action: 'update', set: ['comment', 'updated_at'] },
    });
    expect(projectGuiltyNotes(guiltyCommented(raise, null, AT))[0]).toMatchObject({ rows: [{ comment: null }] });
  });

  it('events survive a JSON round trip; the projector owns only its table (crash replays leave notes alone)', () => {
    const e = guiltyCommented(raise, 'c', AT);
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    expect(guiltyNotesProjector).toMatchObject({ tables: ['clr_guilty_notes'], streams: ['platform.admin'] });
  });
});
