/** Pure: GET /api/v1/json/report/installations (spec §5.7) over the non-filtered installations. */
import { bump, orderedCounts } from './report-maths';
import { DEPLOYED_STATUSES } from './structure-report-maths';

export type InstallationsReportRow = Readonly<{ clusters_num: unknown; clusters: unknown }>;
export type InstallationsReport = Readonly<{
  installations: { count: number; environments_num: Record<string, number> };
  environments: {
    count: number;
    operable_envs_count: number;
    statuses: Record<string, number>;
    nodes_num: Record<string, number>;
    hypervisors_num: Record<string, number>;
    oses_num: Record<string, number>;
  };
}>;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const lowerText = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v.toLowerCase() : null);

export function installationsReport(rows: readonly InstallationsReportRow[]): InstallationsReport {
  const envNum = new Map<string, number>();
  const statuses = new Map<string, number>();
  const nodesNum = new Map<string, number>();
  const hypervisors = new Map<string, number>();
  const oses = new Map<string, number>();
  let environments = 0;
  let operable = 0;
  for (const r of rows) {
    bump(envNum, String(r.clusters_num));
    const clusters = Array.isArray(r.clusters) ? r.clusters.map(obj) : [];
    if (typeof r.clusters_num === 'number' && r.clusters_num > 0) environments += clusters.length;
    for (const c of clusters) {
      if (typeof c.status === 'string') bump(statuses, c.status);
      if (!DEPLOYED_STATUSES.includes(c.status as string)) continue;
      const hypervisor = lowerText(obj(c.attributes).libvirt_type);
      const os = lowerText(obj(c.release).os);
      if (hypervisor !== null) bump(hypervisors, hypervisor);
      if (os !== null) bump(oses, os);
      if (typeof c.nodes_num === 'number' && c.nodes_num > 0) {
        operable++;
        bump(nodesNum, String(c.nodes_num));
      }
    }
  }
  return {
    installations: { count: rows.length, environments_num: orderedCounts(envNum) },
    environments: {
      count: environments,
      operable_envs_count: operable,
      statuses: orderedCounts(statuses),
      nodes_num: orderedCounts(nodesNum),
      hypervisors_num: orderedCounts(hypervisors),
      oses_num: orderedCounts(oses),
    },
  };
}
