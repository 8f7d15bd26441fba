import { insertOnce, Projector, RowWrite } from '../../../event-log/projector';
import { ActionLogRecorded } from '../fuel.events';
import { jsonbText } from './projection-json';

/** fuel_action_logs (fuelstats.md §3.2 step 4): first write wins, so a redelivered event changes nothing. */
export function projectActionLog(event: ActionLogRecorded): RowWrite[] {
  const { record } = event.data;
  const body = record.body;
  return [
    insertOnce(
      'fuel_action_logs',
      {
        master_node_uid: record.master_node_uid,
        external_id: record.external_id,
        action_type: typeof body.action_type === 'string' ? body.action_type : null,
        action_name: typeof body.action_name === 'string' ? body.action_name : null,
        body: jsonbText(body),
        event_id: event.id,
        received_at: event.receivedAt,
      },
      ['master_node_uid', 'external_id'],
    ),
  ];
}

export const actionLogsProjector: Projector<ActionLogRecorded> = {
  name: 'fuel-action-logs',
  streams: ['fuel.action-logs'],
  version: 1,
  eventTypes: ['fuel.action-log.recorded'],
  tables: ['fuel_action_logs'],
  project: projectActionLog,
};
