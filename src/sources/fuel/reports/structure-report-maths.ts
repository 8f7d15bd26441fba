/**
 * Pure computations of the structure-based seed reports R1 (OS), R3 (releases) and R4 (hardware),
 * spec §6. Rows come from the fuel_clusters / fuel_nodes projections.
 */
import { Backed, Tally, applyFloor, flooredCounts, orderedCounts, tally } from './report-maths';

/** §6 R1/R3 and §5.7: only these clusters count as deployed environments. */
export const DEPLOYED_STATUSES: readonly string[] = ['operational', 'error'];
const isDeployed = (status: string | null): boolean => status !== null && DEPLOYED_STATUSES.includes(status);

const text = (v: string | null | undefined): string | null => {
  const t = typeof v === 'string' ? v.trim() : '';
  return t === '' ? null : t;
};

// ---------------------------------------------------------------- R1 OS distribution
export type ClusterRow = Readonly<{ master_node_uid: string; status: string | null; release_os: string | null; release_version: string | null; release_name: string | null }>;
export type ClusterNodeOsRow = Readonly<{ master_node_uid: string; cluster_status: string | null; os: string | null }>;
export type OsReport = Readonly<{ environments: Record<string, number>; nodes: Record<string, number>; total_environments: number }>;

/** Missing OS values are skipped (as §5.7 `oses_num`), but the environment still counts in the total. */
export function osReport(clusters: readonly ClusterRow[], nodes: readonly ClusterNodeOsRow[], floor = 1): OsReport {
  const envs: Tally = new Map();
  const nodeOs: Tally = new Map();
  let total = 0;
  for (const c of clusters) {
    if (!isDeployed(c.status)) continue;
    total++;
    const os = text(c.release_os);
    if (os !== null) tally(envs, os.toLowerCase(), c.master_node_uid);
  }
  for (const n of nodes) {
    const os = text(n.os);
    if (isDeployed(n.cluster_status) && os !== null) tally(nodeOs, os.toLowerCase(), n.master_node_uid);
  }
  return { environments: flooredCounts(envs, floor), nodes: flooredCounts(nodeOs, floor), total_environments: total };
}

// ---------------------------------------------------------------- R3 releases
export type InstallationReleaseRow = Readonly<{ master_node_uid: string; release: string | null }>;
export type ReleasesReport = Readonly<{
  fuel_releases: Record<string, number>;
  openstack_releases: Record<string, { environments: number; name: string | null }>;
}>;

/**
 * Installations without `fuel_release` are counted as `unknown` so the map adds up to the population. OpenStack
 * releases merged by the privacy floor have no name.
 */
export function releasesReport(installations: readonly InstallationReleaseRow[], clusters: readonly ClusterRow[], floor = 1): ReleasesReport {
  const fuel: Tally = new Map();
  for (const i of installations) tally(fuel, text(i.release) ?? 'unknown', i.master_node_uid);
  const envs = new Map<string, Backed<{ environments: number; name: string | null }>>();
  for (const c of clusters) {
    if (!isDeployed(c.status)) continue;
    const version = text(c.release_version) ?? 'unknown';
    const g = envs.get(version) ?? { value: { environments: 0, name: null }, installations: new Set<string>() };
    g.value.environments++;
    g.value.name ??= text(c.release_name);
    g.installations.add(c.master_node_uid);
    envs.set(version, g);
  }
  const merged = applyFloor(envs, floor, (a, b) => ({ environments: (a?.environments ?? 0) + b.environments, name: null }));
  const order = orderedCounts(new Map([...merged].map(([v, g]) => [v, g.value.environments])));
  const openstack = Object.fromEntries(Object.keys(order).map((v) => [v, merged.get(v)!.value]));
  return { fuel_releases: flooredCounts(fuel, floor), openstack_releases: openstack };
}

// ---------------------------------------------------------------- R4 hardware
export type HardwareRow = Readonly<{ master_node_uid: string; manufacturer: string | null; product: string | null }>;
export type HardwareReport = Readonly<{ by_manufacturer: Record<string, number>; by_model: Record<string, number>; virtual: number; bare_metal: number }>;

/** Hypervisor vendors / virtual board names (§6 R4), matched case-insensitively anywhere in manufacturer or product. */
const VIRTUAL_MARKERS = ['qemu', 'kvm', 'bochs', 'innotek', 'virtualbox', 'vmware', 'xen', 'parallels', 'standard pc ('];

export function isVirtualHardware(manufacturer: string | null, product: string | null): boolean {
  const m = (manufacturer ?? '').toLowerCase();
  const p = (product ?? '').toLowerCase();
  if (m.includes('microsoft corporation') && p.includes('virtual machine')) return true;
  return VIRTUAL_MARKERS.some((marker) => m.includes(marker) || p.includes(marker));
}

export function hardwareReport(nodes: readonly HardwareRow[], floor = 1): HardwareReport {
  const byManufacturer: Tally = new Map();
  const byModel: Tally = new Map();
  let virtual = 0;
  for (const n of nodes) {
    const m = text(n.manufacturer);
    const p = text(n.product);
    tally(byManufacturer, m ?? 'unknown', n.master_node_uid);
    tally(byModel, `${m ?? 'unknown'} / ${p ?? 'unknown'}`, n.master_node_uid);
    if (isVirtualHardware(m, p)) virtual++;
  }
  return { by_manufacturer: flooredCounts(byManufacturer, floor), by_model: flooredCounts(byModel, floor), virtual, bare_metal: nodes.length - virtual };
}
