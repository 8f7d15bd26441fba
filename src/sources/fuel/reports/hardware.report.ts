/** R4: node hardware by manufacturer and model, virtual vs bare metal (spec fuelstats.md §6). */
import { ReportEnvelope, seedReport } from './fuel-report';
import { Tally, flooredCounts, tally, text } from './report-maths';
import { WINDOWED } from './report-sql';
import { ReportView, countsChart, countsTable, installationsHeadline } from './report-view';

export const HardwareReportSql = {
  hardware: `
    SELECT n.master_node_uid, n.manufacturer, n.product FROM fuel_nodes n JOIN fuel_installations i USING (master_node_uid) WHERE ${WINDOWED}`,
} as const;

export type HardwareRow = Readonly<{ master_node_uid: string; manufacturer: string | null; product: string | null }>;
export type HardwareReport = Readonly<{ by_manufacturer: Record<string, number>; by_model: Record<string, number>; virtual: number; bare_metal: number }>;

/** Hypervisor vendors / virtual board names (fuelstats.md §6 R4), matched case-insensitively anywhere in manufacturer or product. */
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
export type HardwareAnswer = ReportEnvelope & HardwareReport;

export function hardwareView(r: Partial<HardwareAnswer>): ReportView {
  return {
    title: 'R4 Hardware server types',
    headline: [installationsHeadline(r), { label: 'Virtual nodes', value: r.virtual ?? null, key: 'virtual' }, { label: 'Bare-metal nodes', value: r.bare_metal ?? null, key: 'bare_metal' }],
    chart: countsChart('Nodes by manufacturer', r.by_manufacturer),
    tables: [countsTable('Models', 'Manufacturer / product', 'Nodes', r.by_model), countsTable('Manufacturers', 'Manufacturer', 'Nodes', r.by_manufacturer)],
  };
}

export const HARDWARE_REPORT = seedReport({
  name: 'hardware',
  title: 'R4 Hardware server types',
  api: { summary: 'R4 node hardware by manufacturer and model, virtual vs bare metal (spec fuelstats.md §6)', response: '{…envelope, by_manufacturer, by_model, virtual, bare_metal}' },
  population: 'windowed',
  read: (db, w) => db.query<HardwareRow>(HardwareReportSql.hardware, [w.from, w.to, w.release]),
  compute: (nodes, floor) => hardwareReport(nodes, floor),
  view: hardwareView,
});
