import { randomBytes } from 'node:crypto';
import { Database } from '../src/database/database';
import { ProjectorRuntime } from '../src/event-log/projector-runtime';
import type { RequestFactory } from './load-generator';
import { generateLoad, measureCpu, modeOf, report, startBenchApp } from './support';

/**
 * Sustained v2 records/s and ack latency at 64 connections on loopback against the real collector, then
 * counts the stored rows: every 201 must be a row (zero lost). Bounded by BENCH_SECONDS. The load comes
 * from a child process; the platform's own CPU time per record is reported too, since on a shared
 * 2-core machine it is steadier than wall-clock throughput. Mode from DATABASE_URL / KAFKA_BROKERS, each
 * run on a fresh database (and fresh Kafka topics).
 */
export async function benchClearLinuxIngest(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const { app, config, baseUrl, close } = await startBenchApp();
  try {
    const { value: load, cpuMs } = await measureCpu(() =>
      generateLoad({ url: baseUrl, connections: 64, durationS: seconds, factory: { module: __filename, name: 'clearLinuxV2Request' } }),
    );
    const caughtUp = Date.now();
    await app.get(ProjectorRuntime).catchUp(['clearlinux-records'], 600_000);
    const [{ n }] = await app.get(Database).query<{ n: number }>('SELECT count(*)::int AS n FROM records');
    report({
      bench: 'clearlinux-v2-ingest',
      mode: modeOf(config),
      connections: 64,
      seconds,
      acknowledged: load.ok2xx,
      non2xx: load.non2xx,
      statusCodes: load.statusCodes,
      errors: load.errors,
      recordsPerSecond: Math.round(load.ok2xx / seconds),
      p50Ms: load.p50Ms,
      p99Ms: load.p99Ms,
      platformCpuMsPerRecord: Number((cpuMs / Math.max(1, load.ok2xx)).toFixed(3)),
      projectionLagAfterLoadMs: Date.now() - caughtUp,
      rowsStored: n,
      // Requests still in flight when the clock stopped may be stored without being counted as acknowledged.
      lost: Math.max(0, load.ok2xx - n),
    });
  } finally {
    await close();
  }
}

/** A distinct, valid v4 record per request (random machine and event id), as telemetrics-client sends it. */
export const clearLinuxV2Request: RequestFactory = () => ({
  method: 'POST',
  path: '/v2/collector',
  body: 'hello\n\n',
  headers: {
    record_format_version: '4',
    classification: 'org.clearlinux/hello/world',
    severity: '1',
    machine_id: randomBytes(16).toString('hex'),
    creation_timestamp: String(Math.floor(Date.now() / 1000)),
    arch: 'x86_64',
    host_type: 'blank|blank|blank',
    build: '31000',
    kernel_version: '5.10.12-1018.native',
    payload_format_version: '1',
    system_name: 'clear-linux-os',
    board_name: 'NUC6i5SYB|Intel',
    cpu_model: 'Intel(R)',
    bios_version: 'SYSKLi35.86A',
    event_id: randomBytes(16).toString('hex'),
    'x-telemetry-tid': '6907c830-eed9-4ce9-81ae-76daf8d88f0f',
    'content-type': 'application/text',
  },
});
