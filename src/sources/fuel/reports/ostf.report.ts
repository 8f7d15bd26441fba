/** R7: health-check (OSTF) failure rate per test vs total runs (spec fuelstats.md §6). */
import { InvalidInput } from '../../../common/errors';
import { ReportEnvelope, seedReport } from './fuel-report';
import { OTHER, applyFloor, parseNaiveUtcMicros } from './report-maths';
import { ReportView, installationsHeadline } from './report-view';
import { ReportQuery } from './report-window';

const OSTF_DEFAULT_LIMIT = 50;
const OSTF_MAX_LIMIT = 10_000;

export const OstfReportSql = {
  /** R7: tests of runs whose ended_at date lies in the window (non-dates kept, counted as unparseable). */
  ostfTests: `
    SELECT r.master_node_uid, r.external_id::text AS run_id, r.testset, r.ended_at, t.test_id, t.status
      FROM fuel_ostf_runs r
      JOIN fuel_installations i USING (master_node_uid)
      JOIN fuel_ostf_tests t ON t.master_node_uid = r.master_node_uid AND t.run_id = r.external_id
     WHERE NOT i.is_filtered AND ($3::text IS NULL OR i.release = $3)
       AND (r.ended_at !~ '^\\d{4}-\\d{2}-\\d{2}' OR substr(r.ended_at, 1, 10) BETWEEN $1::date::text AND $2::date::text)`,
} as const;

export type OstfTestRow = Readonly<{ master_node_uid: string; run_id: string | number; testset: string; ended_at: string; test_id: string; status: string }>;
export type OstfTestStats = Readonly<{ id: string; testset: string; runs: number; failures: number; failure_rate: number; installations: number }>;
export type OstfReport = Readonly<{ tests: OstfTestStats[]; total_runs: number; unparseable: number }>;

const COUNTED = new Set(['success', 'failure', 'error']);
const FAILED = new Set(['failure', 'error']);

type TestCounts = { id: string; testset: string; runs: number; failures: number };

/**
 * Per (testset, test id): runs = success+failure+error outcomes, failures = failure+error; other outcomes
 * (skipped, stopped, disabled) are ignored. Runs whose `ended_at` does not parse are counted apart.
 * Tests run by fewer than `floor` installations are summed into one test "other" (fuelstats.md §6.0 privacy floor).
 * Ordered by failures desc, then failure rate desc, then id; `limit` rows.
 */
export function ostfReport(rows: readonly OstfTestRow[], limit: number, floor = 1): OstfReport {
  const byTest = new Map<string, { value: TestCounts; installations: Set<string> }>();
  const runs = new Set<string>();
  const unparseableRuns = new Set<string>();
  for (const r of rows) {
    const runKey = JSON.stringify([r.master_node_uid, String(r.run_id)]);
    if (parseNaiveUtcMicros(r.ended_at) === null) {
      unparseableRuns.add(runKey);
      continue;
    }
    runs.add(runKey);
    if (!COUNTED.has(r.status)) continue;
    const key = JSON.stringify([r.testset, r.test_id]);
    const s = byTest.get(key) ?? { value: { id: r.test_id, testset: r.testset, runs: 0, failures: 0 }, installations: new Set<string>() };
    s.value.runs++;
    if (FAILED.has(r.status)) s.value.failures++;
    s.installations.add(r.master_node_uid);
    byTest.set(key, s);
  }
  const merged = applyFloor(byTest, floor, (a, b) => ({ id: OTHER, testset: OTHER, runs: (a?.runs ?? 0) + b.runs, failures: (a?.failures ?? 0) + b.failures }));
  const tests = [...merged.values()]
    .map(({ value: s, installations }) => ({ id: s.id, testset: s.testset, runs: s.runs, failures: s.failures, failure_rate: Math.round((s.failures / s.runs) * 1e4) / 1e4, installations: installations.size }))
    .sort((a, b) => b.failures - a.failures || b.failure_rate - a.failure_rate || (a.id < b.id ? -1 : a.id > b.id ? 1 : a.testset < b.testset ? -1 : 1))
    .slice(0, limit);
  return { tests, total_runs: runs.size, unparseable: unparseableRuns.size };
}
function limitOf(q: ReportQuery): number {
  if (q.limit === undefined || q.limit === '') return OSTF_DEFAULT_LIMIT;
  const n = Number(q.limit);
  if (!Number.isInteger(n) || n < 1 || n > OSTF_MAX_LIMIT) throw new InvalidInput(`'limit' must be an integer 1…${OSTF_MAX_LIMIT}`, 'limit');
  return n;
}

export type OstfAnswer = ReportEnvelope & OstfReport;

export function ostfView(r: Partial<OstfAnswer>): ReportView {
  const tests = r.tests ?? [];
  return {
    title: 'R7 Health-check failure rates',
    headline: [installationsHeadline(r), { label: 'Test runs', value: r.total_runs ?? null, key: 'total_runs' }],
    chart: { kind: 'bar', title: 'Failure rate by test', labels: tests.map((t) => t.id), values: tests.map((t) => t.failure_rate) },
    tables: [{
      caption: 'Tests (most failures first)',
      columns: ['Test', 'Test set', 'Runs', 'Failures', 'Failure rate', 'Installations'],
      rows: tests.map((t) => [t.id, t.testset, t.runs, t.failures, t.failure_rate, t.installations]),
    }],
  };
}

export const OSTF_REPORT = seedReport({
  name: 'ostf',
  title: 'R7 Health-check failure rates',
  api: { summary: 'R7 health-check (OSTF) failure rate per test vs total runs (spec fuelstats.md §6)', response: '{…envelope, tests:[{id,testset,runs,failures,failure_rate,installations}], total_runs, unparseable}', query: [{ name: 'limit', required: false, description: 'tests listed, default 50' }] },
  population: 'all',
  read: (db, w) => db.query<OstfTestRow>(OstfReportSql.ostfTests, [w.from, w.to, w.release]),
  compute: (rows, floor, q) => ostfReport(rows, limitOf(q), floor),
  view: ostfView,
});
