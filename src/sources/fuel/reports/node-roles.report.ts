/** R6: node roles, including combined roles (spec fuelstats.md §6). */
import { ReportEnvelope, seedReport } from './fuel-report';
import { Tally, flooredCounts, tally } from './report-maths';
import { WINDOWED } from './report-sql';
import { ReportView, countsChart, countsTable, installationsHeadline } from './report-view';

export const NodeRolesReportSql = {
  nodes: `
    SELECT n.master_node_uid, n.roles FROM fuel_nodes n JOIN fuel_installations i USING (master_node_uid)
     WHERE ${WINDOWED} AND ($4::boolean OR n.status = 'ready')`,
} as const;

export type NodeRolesRow = Readonly<{ master_node_uid: string; roles: readonly unknown[] }>;
export type NodeRolesReport = Readonly<{
  by_role: Record<string, number>;
  by_combination: Record<string, number>;
  combined_nodes: number;
  total_nodes: number;
}>;

export function roleSet(roles: readonly unknown[]): string[] {
  return [...new Set(roles.filter((r): r is string => typeof r === 'string' && r !== ''))].sort();
}

export function nodeRolesReport(nodes: readonly NodeRolesRow[], floor = 1): NodeRolesReport {
  const byRole: Tally = new Map();
  const byCombination: Tally = new Map();
  let combined = 0;
  for (const n of nodes) {
    const set = roleSet(n.roles);
    if (set.length === 0) {
      tally(byRole, 'unassigned', n.master_node_uid);
      tally(byCombination, 'unassigned', n.master_node_uid);
      continue;
    }
    for (const r of set) tally(byRole, r, n.master_node_uid);
    tally(byCombination, set.join('+'), n.master_node_uid);
    if (set.length >= 2) combined++;
  }
  return { by_role: flooredCounts(byRole, floor), by_combination: flooredCounts(byCombination, floor), combined_nodes: combined, total_nodes: nodes.length };
}
export type NodeRolesAnswer = ReportEnvelope & NodeRolesReport;

export function nodeRolesView(r: Partial<NodeRolesAnswer>): ReportView {
  return {
    title: 'R6 Node roles',
    headline: [installationsHeadline(r), { label: 'Nodes', value: r.total_nodes ?? null, key: 'total_nodes' }, { label: 'Nodes with combined roles', value: r.combined_nodes ?? null, key: 'combined_nodes' }],
    chart: countsChart('Nodes by role combination', r.by_combination),
    tables: [countsTable('Role combinations', 'Roles', 'Nodes', r.by_combination), countsTable('Roles', 'Role', 'Nodes having it', r.by_role)],
  };
}

export const NODE_ROLES_REPORT = seedReport({
  name: 'node_roles',
  title: 'R6 Node roles',
  api: { summary: 'R6 node roles incl. combined roles (spec fuelstats.md §6)', response: '{…envelope, by_role, by_combination, combined_nodes, total_nodes}', query: [{ name: 'node_status', required: false, description: '"any" lifts the status=ready filter' }] },
  population: 'windowed',
  read: (db, w, q) => db.query<NodeRolesRow>(NodeRolesReportSql.nodes, [w.from, w.to, w.release, q.node_status === 'any']),
  compute: (nodes, floor) => nodeRolesReport(nodes, floor),
  view: nodeRolesView,
});
