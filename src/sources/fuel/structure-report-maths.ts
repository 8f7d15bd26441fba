/**
 * Pure computations of the structure-based seed reports R1 (OS), R3 (releases) and R4 (hardware),
 * spec §6. Rows come from the fuel_clusters / fuel_nodes projections.
 */
import { bump, orderedCounts } from './report-maths';

/** §6 R1/R3 and §5.7: only these clusters count as deployed environments. */
export const DEPLOYED_STATUSES: readonly string[] = ['operational', 'error'];
const isDeployed = (status: string | null): boolean => status !== null && DEPLOYED_STATUSES.includes(status);

const text = (v: string | null | undefined): string | null => {
  const t = typeof v === 'string' ? v.trim() : '';
  return t === '' ? null : t;
};

// ---------------------------------------------------------------- R1 OS distribution
export type ClusterRow = Readonly<{ status: string | null; release_os: string | null; release_version: string | null; release_name: string | null }>;
export type ClusterNodeOsRow = Readonly<{ cluster_status: string | null; os: string | null }>;
export type OsReport = Readonly<{ environments: Record<string, number>; nodes: Record<string, number>; total_environments: number }>;

/** Missing OS values are skipped (as §5.7 `oses_num`), but the environment still counts in the total. */
export function osReport(clusters: readonly ClusterRow[], nodes: readonly ClusterNodeOsRow[]): OsReport {
  const envs = new Map<string, number>();
  const nodeOs = new Map<string, number>();
  let total = 0;
  for (const c of clusters) {
    if (!isDeployed(c.status)) continue;
    total++;
    const os = text(c.release_os);
    if (os !== null) bump(envs, os.toLowerCase());
  }
  for (const n of nodes) {
    const os = text(n.os);
    if (isDeployed(n.cluster_status) && os !== null) bump(nodeOs, os.toLowerCase());
  }
  return { environments: orderedCounts(envs), nodes: orderedCounts(nodeOs), total_environments: total };
}

// ---------------------------------------------------------------- R3 releases
export type InstallationReleaseRow = Readonly<{ release: string | null }>;
export type ReleasesReport = Readonly<{
  fuel_releases: Record<string, number>;
  openstack_releases: Record<string, { environments: number; name: string | null }>;
}>;

/** Installations without `fuel_release` are counted as `unknown` so the map adds up to the population. */
export function releasesReport(installations: readonly InstallationReleaseRow[], clusters: readonly ClusterRow[]): ReleasesReport {
  const fuel = new Map<string, number>();
  for (const i of installations) bump(fuel, text(i.release) ?? 'unknown');
  const envs = new Map<string, number>();
  const names = new Map<string, string | null>();
  for (const c of clusters) {
    if (!isDeployed(c.status)) continue;
    const version = text(c.release_version) ?? 'unknown';
    bump(envs, version);
    if ((names.get(version) ?? null) === null) names.set(version, text(c.release_name));
  }
  const openstack = Object.fromEntries(Object.entries(orderedCounts(envs)).map(([v, n]) => [v, { environments: n, name: names.get(v) ?? null }]));
  return { fuel_releases: orderedCounts(fuel), openstack_releases: openstack };
}

// ---------------------------------------------------------------- R4 hardware
export type HardwareRow = Readonly<{ manufacturer: string | null; product: string | null }>;
export type HardwareReport = Readonly<{ by_manufacturer: Record<string, number>; by_model: Record<string, number>; virtual: number; bare_metal: number }>;

/** Hypervisor vendors / virtual board names (§6 R4), matched case-insensitively anywhere in manufacturer or product. */
const VIRTUAL_MARKERS = ['qemu', 'kvm', 'bochs', 'innotek', 'virtualbox', 'vmware', 'xen', 'parallels', 'standard pc ('];

export function isVirtualHardware(manufacturer: string | null, product: string | null): boolean {
  const m = (manufacturer ?? '').toLowerCase();
  const p = (product ?? '').toLowerCase();
  if (m.includes('microsoft corporation') && p.includes('virtual machine')) return true;
  return VIRTUAL_MARKERS.some((marker) => m.includes(marker) || p.includes(marker));
}

export function hardwareReport(nodes: readonly HardwareRow[]): HardwareReport {
  const byManufacturer = new Map<string, number>();
  const byModel = new Map<string, number>();
  let virtual = 0;
  for (const n of nodes) {
    const m = text(n.manufacturer);
    const p = text(n.product);
    bump(byManufacturer, m ?? 'unknown');
    bump(byModel, `${m ?? 'unknown'} / ${p ?? 'unknown'}`);
    if (isVirtualHardware(m, p)) virtual++;
  }
  return { by_manufacturer: orderedCounts(byManufacturer), by_model: orderedCounts(byModel), virtual, bare_metal: nodes.length - virtual };
}
