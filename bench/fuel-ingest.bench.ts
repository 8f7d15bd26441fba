import { randomUUID } from 'node:crypto';
import { Database } from '../src/database/database';
import { ProjectorRuntime } from '../src/event-log/projector-runtime';
import { runSenders } from './fuel-senders';
import { measureCpu, modeOf, percentile, report, startBenchApp } from './support';

/**
 * Fuel action-log ingest: BENCH_SENDERS (16) concurrent senders POST batches of 100 records for
 * BENCH_SECONDS (10) from a child process (bench/fuel-senders). Every 10th request re-sends a batch,
 * which must be answered `existed` throughout and never stored twice. Afterwards the projection is
 * caught up and the stored rows counted: rows must equal the records answered `added` (zero lost).
 */
export async function benchFuelIngest(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const senders = Number(process.env.BENCH_SENDERS ?? 16);
  const uidPrefix = `bench-${randomUUID().slice(0, 8)}-`;
  const bench = await startBenchApp();
  try {
    const { value: load, cpuMs } = await measureCpu(() => runSenders({ port: Number(new URL(bench.baseUrl).port), senders, batch: 100, seconds, uidPrefix }));
    const loadDone = Date.now();
    await bench.app.get(ProjectorRuntime).catchUp(['fuel-action-logs'], 600_000);
    const projectionLagMs = Date.now() - loadDone;
    const [{ n }] = await bench.app
      .get(Database)
      .query<{ n: number }>(`SELECT count(*)::int AS n FROM fuel_action_logs WHERE master_node_uid LIKE $1`, [`${uidPrefix}%`]);
    const latencies = [...load.latenciesMs].sort((a, b) => a - b);
    report({
      bench: 'fuel-action-logs-ingest',
      mode: modeOf(bench.config),
      senders,
      batchSize: 100,
      seconds: Math.round(load.elapsedS * 10) / 10,
      batches: load.batches,
      recordsAdded: load.added,
      recordsPerSecond: Math.round(load.added / load.elapsedS),
      resentRecords: load.resentRecords,
      resentNotAnsweredExisted: load.resentNotExisted,
      unexpected: load.unexpected,
      batchP50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
      batchP99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
      platformCpuMsPerRecord: Number((cpuMs / Math.max(1, load.added)).toFixed(3)),
      projectionLagAfterLoadMs: projectionLagMs,
      rowsStored: n,
      lost: load.added - n,
      duplicatesStored: Math.max(0, n - load.added),
    });
  } finally {
    await bench.close();
  }
}
