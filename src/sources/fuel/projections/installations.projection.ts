import { Projector, RowWrite } from '../../../event-log/projector';
import { InstallationReported } from '../fuel.events';
import { jsonbText } from './projection-json';

export const InstallationsSql = {
  /** fuelstats.md §3.3: insert (creation_date, modification_date null) or replace; the event-id guard makes redelivery a no-op. */
  upsert: `
    INSERT INTO fuel_installations (master_node_uid, structure, creation_date, modification_date, is_filtered, release, last_event_id)
    VALUES ($1, $2::jsonb, $3, NULL, $4, $5, $6)
    ON CONFLICT (master_node_uid) DO UPDATE
      SET structure = EXCLUDED.structure, is_filtered = EXCLUDED.is_filtered, release = EXCLUDED.release,
          modification_date = EXCLUDED.creation_date, last_event_id = EXCLUDED.last_event_id
      WHERE fuel_installations.last_event_id <> EXCLUDED.last_event_id`,
  deleteNodes: `DELETE FROM fuel_nodes WHERE master_node_uid = $1`,
  deleteClusters: `DELETE FROM fuel_clusters WHERE master_node_uid = $1`,
} as const;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);

/**
 * The current structure plus its history; clusters and nodes are rebuilt from the current structure
 * (delete + insert), so the tables always mirror the latest upload.
 */
export function projectInstallation(event: InstallationReported): RowWrite[] {
  const { masterNodeUid: uid, structure, isFiltered, release } = event.data;
  const clusters = list(structure.clusters).filter((c) => int(c.id) !== null);
  const writes: RowWrite[] = [
    { kind: 'sql', sql: InstallationsSql.upsert, params: [uid, jsonbText(structure), event.receivedAt, isFiltered, release, event.id] },
    {
      kind: 'insert',
      table: 'fuel_installation_versions',
      rows: [{ event_id: event.id, master_node_uid: uid, received_at: event.receivedAt, structure: jsonbText(structure), is_filtered: isFiltered, release }],
      conflict: { target: ['event_id'], action: 'nothing' },
    },
    { kind: 'sql', sql: InstallationsSql.deleteNodes, params: [uid] },
    { kind: 'sql', sql: InstallationsSql.deleteClusters, params: [uid] },
  ];
  const clusterRows = new Map<number, Obj>();
  const nodeRows = new Map<string, Obj>();
  for (const c of clusters) {
    const rel = obj(c.release);
    const clusterId = int(c.id)!;
    clusterRows.set(clusterId, {
      master_node_uid: uid,
      cluster_id: clusterId,
      status: str(c.status),
      mode: str(c.mode),
      nodes_num: int(c.nodes_num),
      fuel_version: str(c.fuel_version),
      release_version: str(rel.version),
      release_os: str(rel.os),
      release_name: str(rel.name),
      attributes: jsonbText(c.attributes ?? null),
    });
    for (const n of list(c.nodes)) {
      const nodeId = int(n.id);
      if (nodeId === null) continue;
      const roles = Array.isArray(n.roles) ? n.roles.filter((r): r is string => typeof r === 'string') : [];
      nodeRows.set(`${clusterId}/${nodeId}`, {
        master_node_uid: uid,
        cluster_id: clusterId,
        node_id: nodeId,
        status: str(n.status),
        os: str(n.os),
        manufacturer: str(n.manufacturer) ?? str(obj(obj(n.meta).system).manufacturer),
        product: str(obj(obj(n.meta).system).product),
        roles: jsonbText(roles),
      });
    }
  }
  if (clusterRows.size > 0) writes.push({ kind: 'insert', table: 'fuel_clusters', rows: [...clusterRows.values()] });
  if (nodeRows.size > 0) writes.push({ kind: 'insert', table: 'fuel_nodes', rows: [...nodeRows.values()] });
  return writes;
}

export const installationsProjector: Projector<InstallationReported> = {
  name: 'fuel-installations',
  streams: ['fuel.installations'],
  version: 1,
  eventTypes: ['fuel.installation.reported'],
  tables: ['fuel_installations', 'fuel_installation_versions', 'fuel_clusters', 'fuel_nodes'],
  project: projectInstallation,
};
