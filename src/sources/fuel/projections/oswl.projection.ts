import { Projector, RowWrite } from '../../../event-log/projector';
import { OstfRunReported, OswlReported } from '../fuel.events';
import { jsonbText } from './projection-json';

const OSWL_COLUMNS = ['cluster_id', 'created_date', 'updated_time', 'resource_type', 'resource_checksum', 'resource_data', 'version_info', 'event_id', 'received_at'];
const OSTF_COLUMNS = ['cluster_id', 'testset', 'status', 'started_at', 'ended_at', 'fuel_version', 'release_version', 'event_id', 'received_at'];

/** fuelstats.md §3.4: key (uid, id), every field replaced by the latest record. */
export function projectOswl(event: OswlReported): RowWrite[] {
  const r = event.data.record;
  return [
    {
      kind: 'insert',
      table: 'fuel_oswl',
      rows: [
        {
          master_node_uid: r.master_node_uid,
          external_id: r.id,
          cluster_id: r.cluster_id,
          created_date: r.created_date.slice(0, 10), // QUIRK fuelstats.md §3.4: a trailing time part is ignored
          updated_time: r.updated_time,
          resource_type: r.resource_type,
          resource_checksum: r.resource_checksum,
          resource_data: jsonbText(r.resource_data),
          version_info: r.version_info === undefined ? null : jsonbText(r.version_info),
          event_id: event.id,
          received_at: event.receivedAt,
        },
      ],
      conflict: { target: ['master_node_uid', 'external_id'], action: 'update', set: OSWL_COLUMNS },
    },
  ];
}

/** fuelstats.md §3.5: the run row is replaced and its tests rebuilt. */
export function projectOstfRun(event: OstfRunReported): RowWrite[] {
  const r = event.data.run;
  const writes: RowWrite[] = [
    {
      kind: 'insert',
      table: 'fuel_ostf_runs',
      rows: [
        {
          master_node_uid: r.master_node_uid,
          external_id: r.id,
          cluster_id: r.cluster_id,
          testset: r.testset,
          status: r.status,
          started_at: r.started_at,
          ended_at: r.ended_at,
          fuel_version: r.fuel_version ?? null,
          release_version: r.release_version ?? null,
          event_id: event.id,
          received_at: event.receivedAt,
        },
      ],
      conflict: { target: ['master_node_uid', 'external_id'], action: 'update', set: OSTF_COLUMNS },
    },
    { kind: 'sql', sql: 'DELETE FROM fuel_ostf_tests WHERE master_node_uid = $1 AND run_id = $2', params: [r.master_node_uid, r.id] },
  ];
  if (r.tests.length > 0) {
    writes.push({
      kind: 'insert',
      table: 'fuel_ostf_tests',
      rows: r.tests.map((t, i) => ({
        master_node_uid: r.master_node_uid,
        run_id: r.id,
        ordinal: i,
        test_id: t.id,
        status: t.status,
        taken: typeof t.taken === 'number' ? t.taken : null,
      })),
    });
  }
  return writes;
}

export const oswlProjector: Projector<OswlReported | OstfRunReported> = {
  name: 'fuel-oswl',
  streams: ['fuel.oswl'],
  version: 1,
  eventTypes: ['fuel.oswl.reported', 'fuel.ostf-run.reported'],
  tables: ['fuel_oswl', 'fuel_ostf_runs', 'fuel_ostf_tests'],
  project: (event) => (event.type === 'fuel.oswl.reported' ? projectOswl(event) : projectOstfRun(event)),
};
