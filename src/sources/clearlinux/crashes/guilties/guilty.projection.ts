import type { Projector, RowWrite } from '../../../../event-log/projector';
import { GUILTY_COMMENTED, GUILTY_HIDDEN, GUILTY_UNHIDDEN, type GuiltyEvent } from './guilty.events';

export const GUILTY_NOTES_TABLE = 'clr_guilty_notes';
export const GUILTY_NOTES_PROJECTOR = 'clearlinux-guilty-notes';

/**
 * Pure: what admins said about a guilty (spec clearlinux.md §7.5 hidden flag and comment). One row per guilty that
 * was ever hidden or commented; a guilty without a row is visible and uncommented. Each event sets
 * one column to a value (no toggles), so a redelivered event changes nothing, and the crashes replay
 * (which regroups) never touches this table: hiding and comments survive every regroup.
 */
export function projectGuiltyNotes(event: GuiltyEvent): RowWrite[] {
  const d = event.data;
  const base = { guilty_id: d.guiltyId, function: d.function, module: d.module, updated_at: event.receivedAt };
  const [column, row] =
    event.type === GUILTY_COMMENTED
      ? (['comment', { ...base, hidden: false, comment: event.data.comment }] as const)
      : (['hidden', { ...base, hidden: event.type === GUILTY_HIDDEN, comment: null }] as const);
  return [
    {
      kind: 'insert',
      table: GUILTY_NOTES_TABLE,
      rows: [row],
      conflict: { target: ['guilty_id'], action: 'update', set: [column, 'updated_at'] },
    },
  ];
}

export const guiltyNotesProjector: Projector<GuiltyEvent> = {
  name: GUILTY_NOTES_PROJECTOR,
  streams: ['platform.admin'],
  version: 1,
  eventTypes: [GUILTY_HIDDEN, GUILTY_UNHIDDEN, GUILTY_COMMENTED],
  tables: [GUILTY_NOTES_TABLE],
  project: projectGuiltyNotes,
};
