/** Pure: one stored installation → the CSV rows of clusters.csv, nodes.csv, plugins.csv (spec fuelstats.md §5.2, §5.3). */
import { CLUSTER_COLUMNS, Column, INSTALLATION_COLUMNS, NODE_COLUMNS, PLUGIN_COLUMNS, cell, cellsOf } from './export-columns';

export type ExportInstallation = Readonly<{
  id: string;
  master_node_uid: string;
  structure: Record<string, unknown>;
  /** `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC), as fuelstats.md §5.2 renders it. */
  creation_date: string;
  modification_date: string | null;
}>;
export type CsvResource = 'clusters' | 'nodes' | 'plugins';
/** (cluster id → ended_with_status of the latest verify_networks task in the window). */
export type VerifyStatuses = ReadonlyMap<string, string>;

type Obj = Record<string, unknown>;
const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => x !== null && typeof x === 'object' && !Array.isArray(x)) : []);

function itemRows(inst: ExportInstallation, key: 'nodes' | 'installed_plugins', columns: readonly Column[]): string[][] {
  const packages = cell(inst.structure.fuel_packages);
  const rows: string[][] = [];
  for (const cluster of objects(inst.structure.clusters)) {
    const trailer = [cell(cluster.id), cell(cluster.fuel_version), inst.master_node_uid, packages];
    for (const item of objects(cluster[key])) rows.push([...cellsOf(item, columns), ...trailer]);
  }
  return rows;
}

export function exportRows(resource: CsvResource, inst: ExportInstallation, verify: VerifyStatuses = new Map()): string[][] {
  if (resource === 'nodes') return itemRows(inst, 'nodes', NODE_COLUMNS);
  if (resource === 'plugins') return itemRows(inst, 'installed_plugins', PLUGIN_COLUMNS);
  const installation = cellsOf(inst, INSTALLATION_COLUMNS);
  return objects(inst.structure.clusters).map((c) => [...cellsOf(c, CLUSTER_COLUMNS), ...installation, verify.get(cell(c.id)) ?? '']);
}
