/** Pure computation of seed report R7, health-check (OSTF) failure rates per test (spec §6). */
import { OTHER, applyFloor, parseNaiveUtcMicros } from './report-maths';

export type OstfTestRow = Readonly<{ master_node_uid: string; run_id: string | number; testset: string; ended_at: string; test_id: string; status: string }>;
export type OstfTestStats = Readonly<{ id: string; testset: string; runs: number; failures: number; failure_rate: number; installations: number }>;
export type OstfReport = Readonly<{ tests: OstfTestStats[]; total_runs: number; unparseable: number }>;

const COUNTED = new Set(['success', 'failure', 'error']);
const FAILED = new Set(['failure', 'error']);

type TestCounts = { id: string; testset: string; runs: number; failures: number };

/**
 * Per (testset, test id): runs = success+failure+error outcomes, failures = failure+error; other outcomes
 * (skipped, stopped, disabled) are ignored. Runs whose `ended_at` does not parse are counted apart.
 * Tests run by fewer than `floor` installations are summed into one test "other" (§6.0 privacy floor).
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
