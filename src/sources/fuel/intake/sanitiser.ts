/**
 * Ingest sanitising (spec fuelstats.md §3.6): secrets and identifying values are removed before an event is built,
 * so they never reach the event log, a projection or a log line. Pure: returns a copy plus a count of
 * removed keys per rule (the caller feeds `telemetry_fuel_sanitised_keys_total{rule}`); removed values are never
 * returned or logged.
 */
export const SANITISE_RULES = [
  'ceph_secret',
  'secret_name',
  'node_system_identity',
  'interface_mac',
  'node_name',
  'user_contact',
] as const;
export type SanitiseRule = (typeof SANITISE_RULES)[number];
export type RemovalCounts = Partial<Record<SanitiseRule, number>>;
export type Sanitised<T> = Readonly<{ value: T; removed: RemovalCounts }>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Ceph cluster secrets the 9.x sender white-lists in cluster attributes (UPSTREAM BUG, fuelstats.md §3.6). */
const CEPH_ATTRIBUTE_SECRETS = ['fsid', 'mon_key', 'admin_key', 'bootstrap_osd_key', 'radosgw_key'];
const NODE_SYSTEM_IDENTITY = ['fqdn', 'serial', 'uuid'];
/** Moved to the contact store (fuelstats.md §7.4) — until that store exists they are dropped. */
const USER_CONTACT = ['name', 'email', 'company'];

/** password/passwd/secret/token anywhere in the name, or `key` / `*_key` (keystone… is not a secret). */
export function isSecretKeyName(name: string): boolean {
  const lower = name.toLowerCase();
  return /password|passwd|secret|token/.test(lower) || lower === 'key' || lower.endsWith('_key');
}

class Counter {
  readonly counts: RemovalCounts = {};
  add(rule: SanitiseRule, n = 1): void {
    if (n > 0) this.counts[rule] = (this.counts[rule] ?? 0) + n;
  }
}

/** Removes secret-named keys at any depth (used for every Fuel structure). */
export function sanitiseTree<T>(value: T): Sanitised<T> {
  const counter = new Counter();
  const out = dropSecrets(value as unknown as Json, counter) as unknown as T;
  return { value: out, removed: counter.counts };
}

function dropSecrets(value: Json, counter: Counter): Json {
  if (Array.isArray(value)) return value.map((v) => dropSecrets(v, counter));
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (isSecretKeyName(k)) {
      counter.add('secret_name');
      continue;
    }
    out[k] = dropSecrets(v, counter);
  }
  return out;
}

/** An installation structure (the object under `installation_structure`), per fuelstats.md §3.6 table. */
export function sanitiseInstallationStructure<T>(structure: T): Sanitised<T> {
  const counter = new Counter();
  const copy = structuredClone(structure) as unknown as JsonObject;
  for (const cluster of asObjects(copy.clusters)) {
    const attributes = asObject(cluster.attributes);
    if (attributes) counter.add('ceph_secret', removeKeys(attributes, CEPH_ATTRIBUTE_SECRETS));
    for (const node of asObjects(cluster.nodes)) {
      if ('name' in node) {
        delete node.name;
        counter.add('node_name');
      }
      const meta = asObject(node.meta);
      const system = asObject(meta?.system);
      if (system) counter.add('node_system_identity', removeKeys(system, NODE_SYSTEM_IDENTITY));
      for (const nic of asObjects(meta?.interfaces)) counter.add('interface_mac', removeKeys(nic, ['mac']));
    }
  }
  const user = asObject(copy.user_information);
  if (user) counter.add('user_contact', removeKeys(user, USER_CONTACT));
  const tree = sanitiseTree(copy);
  counter.add('secret_name', tree.removed.secret_name ?? 0);
  return { value: tree.value as unknown as T, removed: counter.counts };
}

export function mergeCounts(into: RemovalCounts, more: RemovalCounts): RemovalCounts {
  for (const [rule, n] of Object.entries(more) as [SanitiseRule, number][]) into[rule] = (into[rule] ?? 0) + n;
  return into;
}

function removeKeys(target: JsonObject, keys: readonly string[]): number {
  let n = 0;
  for (const k of keys) {
    if (Object.prototype.hasOwnProperty.call(target, k)) {
      delete target[k];
      n++;
    }
  }
  return n;
}

function asObject(value: Json | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function asObjects(value: Json | undefined): JsonObject[] {
  return Array.isArray(value) ? value.map(asObject).filter((v): v is JsonObject => v !== undefined) : [];
}
