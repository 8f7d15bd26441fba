import { EVENT_STREAMS, TelemetryEvent } from './event';
import { Projector, RowWrite } from './projector';

/**
 * Kafka mode only: copies every event into `event_log`, so replay reads the same table in both modes.
 * Its own rows are the log, so it owns no tables and is never replayed.
 */
export const archiverProjector: Projector = {
  name: 'archiver',
  streams: EVENT_STREAMS,
  version: 1,
  eventTypes: '*',
  tables: [],
  project: (e: TelemetryEvent): RowWrite[] => [
    {
      kind: 'insert',
      table: 'event_log',
      rows: [{ id: e.id, stream: e.stream, type: e.type, key: e.key, payload: JSON.stringify(e), received_at: e.receivedAt }],
      conflict: { target: ['id'], action: 'nothing' },
    },
  ],
};
