import { createHash } from 'node:crypto';
import { InvalidInput } from '../../../common/errors';
import type { FramePair } from './backtrace';

/** Spec clearlinux.md §7.5: a guilty's comment is at most 80 characters. */
export const MAX_GUILTY_COMMENT = 80;
const GUILTY_ID = /^[0-9a-f]{16}$/;

/**
 * Pure: the id of a guilty (spec clearlinux.md §7.5: a unique (function, module) pair with an id). Derived from the
 * pair, not allocated, so a replay of the crashes projector or a rebuild of the guilty notes gives
 * every guilty the id it had before, and links stay valid. Frames are single lines, so `\n` cannot
 * occur in either string and the concatenation is unambiguous.
 */
export function guiltyId(pair: FramePair): string {
  return createHash('sha256').update(`${pair.function}\n${pair.module}`, 'utf8').digest('hex').slice(0, 16);
}

export function isGuiltyId(value: string): boolean {
  return GUILTY_ID.test(value);
}

/** Pure: a comment as sent (`null` or blank clears it) → stored value, or a 400 naming the field. */
export function parseGuiltyComment(value: unknown, field = 'comment'): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') throw new InvalidInput(`${field} must be a string or null`, 'guilty');
  const comment = value.trim();
  if ([...comment].length > MAX_GUILTY_COMMENT) {
    throw new InvalidInput(`${field} must be at most ${MAX_GUILTY_COMMENT} characters`, 'guilty');
  }
  return comment === '' ? null : comment;
}

export type GuiltyNotes = Readonly<{ hidden: boolean; comment: string | null }>;
export type GuiltyChange = Readonly<{ hidden?: boolean; comment?: string | null }>;

/** Pure: `{hidden?, comment?}` request body → the change, or a 400 naming the field. */
export function parseGuiltyChange(body: Record<string, unknown>): GuiltyChange {
  const change: { hidden?: boolean; comment?: string | null } = {};
  if ('hidden' in body) {
    if (typeof body.hidden !== 'boolean') throw new InvalidInput('hidden must be true or false', 'guilty');
    change.hidden = body.hidden;
  }
  if ('comment' in body) change.comment = parseGuiltyComment(body.comment);
  if (change.hidden === undefined && change.comment === undefined) throw new InvalidInput('give hidden and/or comment', 'guilty');
  return change;
}

/** Pure: which parts of a change differ from the guilty's current notes (unchanged parts are no-ops). */
export function planGuiltyChange(current: GuiltyNotes, change: GuiltyChange): GuiltyChange {
  return {
    ...(change.hidden !== undefined && change.hidden !== current.hidden ? { hidden: change.hidden } : {}),
    ...(change.comment !== undefined && change.comment !== current.comment ? { comment: change.comment } : {}),
  };
}
