/** GET /api/v1/json/report/installations (spec fuelstats.md §5.7): installations and environments over the non-filtered installations. */
import { defineReport } from './fuel-report';
import { DEPLOYED_STATUSES, bump, orderedCounts } from './report-maths';

/** fuelstats.md §5.7: the answer is cached per release key for up to an hour; `refresh` bypasses. */
export const INSTALLATIONS_REPORT_TTL_MS = 3_600_000;

export const InstallationsReportSql = {
  /** fuelstats.md §5.7 input: every installation not filtered, optionally of one release. */
  installations: `
    SELECT i.structure->'clusters_num' AS clusters_num, i.structure->'clusters' AS clusters
      FROM fuel_installations i WHERE i.is_filtered IS NOT TRUE AND ($1::text IS NULL OR i.release = $1)`,
} as const;

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
const releaseOf = (q: Readonly<Record<string, unknown>>): string | null => (typeof q.release === 'string' && q.release !== '' ? q.release : null);

export const INSTALLATIONS_REPORT = defineReport<InstallationsReport>({
  name: 'installations',
  summary: 'Installations and environments summary (spec fuelstats.md §5.7), cached an hour per release',
  response: '{installations:{count,environments_num}, environments:{count,operable_envs_count,statuses,nodes_num,hypervisors_num,oses_num}}',
  query: [{ name: 'release', required: false }, { name: 'refresh', required: false, description: 'any non-empty value bypasses the cache' }],
  cache: { ttlMs: INSTALLATIONS_REPORT_TTL_MS, key: (q) => releaseOf(q) ?? '', bypass: (q) => Boolean(q.refresh) },
  async answer({ db, query }) {
    return installationsReport(await db.query<InstallationsReportRow>(InstallationsReportSql.installations, [releaseOf(query)]));
  },
});
