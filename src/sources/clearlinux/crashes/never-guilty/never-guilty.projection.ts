import type { Projector, RowWrite } from '../../../../event-log/projector';
import { NEVER_GUILTY_MARKED, NEVER_GUILTY_UNMARKED, type NeverGuiltyEvent } from './never-guilty.events';

export const NEVER_GUILTY_TABLE = 'clr_never_guilty';

/**
 * Pure: the current never-guilty list. Marking an already listed pair keeps its first marking time
 * (a no-op, clearlinux.md §7.5); unmarking a pair that is not listed deletes nothing. Both are idempotent, so a
 * redelivered event changes nothing.
 */
export function projectNeverGuilty(event: NeverGuiltyEvent): RowWrite[] {
  const frames = event.data.frames;
  if (frames.length === 0) return [];
  if (event.type === NEVER_GUILTY_MARKED) {
    return [
      {
        kind: 'insert',
        table: NEVER_GUILTY_TABLE,
        rows: frames.map((f) => ({ function: f.function, module: f.module, marked_at: event.receivedAt })),
        conflict: { target: ['function', 'module'], action: 'nothing' },
      },
    ];
  }
  return [
    {
      kind: 'sql',
      sql: `DELETE FROM ${NEVER_GUILTY_TABLE} d USING unnest($1::text[], $2::text[]) AS u(function, module)
            WHERE d.function = u.function AND d.module = u.module`,
      params: [frames.map((f) => f.function), frames.map((f) => f.module)],
    },
  ];
}

export const neverGuiltyProjector: Projector<NeverGuiltyEvent> = {
  name: 'clearlinux-never-guilty',
  streams: ['platform.admin'],
  version: 1,
  eventTypes: [NEVER_GUILTY_MARKED, NEVER_GUILTY_UNMARKED],
  tables: [NEVER_GUILTY_TABLE],
  project: projectNeverGuilty,
};
