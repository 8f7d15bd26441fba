/**
 * Pure: the OSWL time series of spec fuelstats.md §5.4 — stored records (ordered by created_date, row id) → one CSV row
 * per resource per day, gaps between a record's day and the next filled from the "horizon" of latest records.
 */
import { OSWL_GENERAL_COLUMNS, OSWL_RESOURCE_COLUMNS, OswlCsvType, cell, cellsOf } from './export-columns';

export type OswlExportRecord = Readonly<{
  /** fuel_oswl row id: the tie-break of the (created_date, id) order. */
  id: string;
  master_node_uid: string;
  cluster_id: string;
  /** `YYYY-MM-DD` */
  created_date: string;
  resource_type: string;
  resource_checksum: string;
  resource_data: unknown;
  version_info: unknown;
  /** UTC day of the installation's last sync: max(creation_date, modification_date), `YYYY-MM-DD`. */
  last_sync_date: string;
}>;

export type VersionInfo = Readonly<Record<string, unknown>>;
/** Where a record without version_info takes it from: its installation's clusters, else its fuel_release. */
export type VersionFallback = Readonly<{
  /** cluster id → {fuel_version, release_version, release_os, release_name}, only clusters with a fuel_version. */
  clusters: ReadonlyMap<string, VersionInfo>;
  fuelRelease: VersionInfo;
}>;

export type HorizonEntry = Readonly<{ record: OswlExportRecord; statsOnDate: string }>;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Equality of JSON values (object key order and prototypes do not matter), as Python compares dicts. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (!isObj(a) || !isObj(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson(a[k], b[k]));
}

/**
 * A later record replaces the horizon entry of its (installation, cluster, type) unless it has the same
 * checksum AND the same resource_data (upstream stores such duplicates under different sender ids).
 */
function addToHorizon(horizon: Map<string, OswlExportRecord>, r: OswlExportRecord): void {
  const key = JSON.stringify([r.master_node_uid, r.cluster_id, r.resource_type]);
  const old = horizon.get(key);
  if (old === undefined || old.resource_checksum !== r.resource_checksum || !sameJson(old.resource_data, r.resource_data)) {
    horizon.set(key, r);
  }
}

/** The horizon on one day; entries whose installation last synced before that day leave it for good. */
function* horizonOn(horizon: Map<string, OswlExportRecord>, day: string): Generator<HorizonEntry> {
  for (const [key, record] of horizon) {
    if (record.last_sync_date < day) horizon.delete(key);
    else yield { record, statsOnDate: day };
  }
}

/**
 * Every day from the first record's created_date to `to` (inclusive), the horizon as it stands once all
 * records of that day are in. Records must arrive ordered by (created_date, row id). The horizon is the only
 * state: one record per (installation, cluster) of the exported type.
 */
export async function* fillDateGaps(records: AsyncIterable<OswlExportRecord> | Iterable<OswlExportRecord>, to: string): AsyncGenerator<HorizonEntry> {
  const horizon = new Map<string, OswlExportRecord>();
  let day: string | null = null;
  for await (const r of records) {
    day ??= r.created_date;
    for (; day < r.created_date; day = nextDay(day)) yield* horizonOn(horizon, day);
    addToHorizon(horizon, r);
  }
  if (day === null) return;
  for (; day <= to; day = nextDay(day)) yield* horizonOn(horizon, day);
}

/** A record's own version_info counts when it has any key (upstream: a non-empty dict). */
export const hasOwnVersionInfo = (r: OswlExportRecord): boolean => isObj(r.version_info) && Object.keys(r.version_info).length > 0;

/** The record's own version_info, else the fallback of fuelstats.md §5.4 (its cluster's, else its installation's release). */
export function versionInfoOf(r: OswlExportRecord, fallback: VersionFallback | undefined): VersionInfo {
  if (hasOwnVersionInfo(r)) return r.version_info as VersionInfo;
  return fallback?.clusters.get(r.cluster_id) ?? fallback?.fuelRelease ?? {};
}

/** Ids compare as JSON values, so the resource id `"1"` is not the id `1` (as in upstream's Python sets). */
const idsOf = (items: readonly Obj[]) => new Set(items.map((i) => JSON.stringify(i.id ?? null)));

/**
 * The CSV rows of one horizon entry: one per resource in `current`, then one per `removed` entry that carries
 * the resource's attributes (more than `{id, time}`) and is not current again. added/modified/removed only
 * count on the record's own day; on gap-filled days they are empty.
 */
export function oswlCsvRows(type: OswlCsvType, { record, statsOnDate }: HorizonEntry, versionInfo: VersionInfo): string[][] {
  const data = isObj(record.resource_data) ? record.resource_data : {};
  const ownDay = record.created_date === statsOnDate;
  const current = objects(data.current);
  const removed = ownDay ? objects(data.removed).filter((r) => Object.keys(r).length > 2) : [];
  const added = idsOf(ownDay ? objects(data.added) : []);
  const modified = idsOf(ownDay ? objects(data.modified) : []);
  const removedIds = idsOf(removed);
  const currentIds = idsOf(current);
  const lead = cellsOf(
    { cluster_id: record.cluster_id, master_node_uid: record.master_node_uid, resource_type: record.resource_type, stats_on_date: statsOnDate, version_info: versionInfo },
    OSWL_GENERAL_COLUMNS,
  );
  const resources = [...current, ...removed.filter((r) => !currentIds.has(JSON.stringify(r.id ?? null)))];
  return resources.map((resource) => {
    const id = JSON.stringify(resource.id ?? null);
    return [...lead, ...cellsOf({ [type]: resource }, OSWL_RESOURCE_COLUMNS[type]), cell(added.has(id)), cell(modified.has(id)), cell(removedIds.has(id))];
  });
}
