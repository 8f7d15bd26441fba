import { TelemetryEvent, eventIdFromKey, newEventId } from '../../event-log/event';

/** Event types of the Fuel collector; raw (sanitised) records are kept so projections can be replayed. */
export const FUEL_SOURCE = 'fuel';

export type ActionLogRecord = Readonly<{ master_node_uid: string; external_id: number; body: Record<string, unknown> } & Record<string, unknown>>;

export type ActionLogRecorded = TelemetryEvent<'fuel.action-log.recorded', { record: ActionLogRecord }, 1>;
export type InstallationReported = TelemetryEvent<
  'fuel.installation.reported',
  { masterNodeUid: string; structure: Record<string, unknown>; isFiltered: boolean; release: string | null },
  1
>;
export type OswlRecord = Readonly<{ master_node_uid: string; id: number; cluster_id: number; created_date: string; updated_time: string;
  resource_type: string; resource_checksum: string; resource_data: Record<string, unknown>; version_info?: Record<string, unknown> }>;
export type OswlReported = TelemetryEvent<'fuel.oswl.reported', { record: OswlRecord }, 1>;
export type OstfTest = Readonly<{ id: string; status: string; taken?: number | null }>;
export type OstfRun = Readonly<{ master_node_uid: string; id: number; cluster_id: number; testset: string; status: string;
  started_at: string; ended_at: string; fuel_version?: string | null; release_version?: string | null; tests: readonly OstfTest[] } & Record<string, unknown>>;
export type OstfRunReported = TelemetryEvent<'fuel.ostf-run.reported', { run: OstfRun }, 1>;

export type FuelEvent = ActionLogRecorded | InstallationReported | OswlReported | OstfRunReported;

/** Natural key of an action log (fuelstats.md §3.1); the derived event id makes the log refuse a resend. */
export function actionLogEventId(masterNodeUid: string, externalId: number): string {
  return eventIdFromKey('fuel.action-log', `${masterNodeUid}\u0000${externalId}`);
}

export function actionLogRecorded(record: ActionLogRecord, receivedAt: string): ActionLogRecorded {
  return {
    id: actionLogEventId(record.master_node_uid, record.external_id),
    type: 'fuel.action-log.recorded',
    version: 1,
    stream: 'fuel.action-logs',
    source: FUEL_SOURCE,
    key: record.master_node_uid,
    receivedAt,
    data: { record },
  };
}

/** Each structure upload is a new fact (the latest one wins in the projection), hence a fresh id. */
export function installationReported(data: InstallationReported['data'], receivedAt: string): InstallationReported {
  return { id: newEventId(), type: 'fuel.installation.reported', version: 1, stream: 'fuel.installations', source: FUEL_SOURCE,
    key: data.masterNodeUid, receivedAt, data };
}

export function oswlReported(record: OswlRecord, receivedAt: string): OswlReported {
  return { id: newEventId(), type: 'fuel.oswl.reported', version: 1, stream: 'fuel.oswl', source: FUEL_SOURCE,
    key: record.master_node_uid, receivedAt, data: { record } };
}

/** OSTF runs travel on the `fuel.oswl` stream (periodic per-installation stats; no stream of their own in the spine). */
export function ostfRunReported(run: OstfRun, receivedAt: string): OstfRunReported {
  return { id: newEventId(), type: 'fuel.ostf-run.reported', version: 1, stream: 'fuel.oswl', source: FUEL_SOURCE,
    key: run.master_node_uid, receivedAt, data: { run } };
}
