import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AdminToken } from '../src/auth/admin-token';
import { loadConfig } from '../src/config/app-config';
import { createApp } from '../src/create-app';
import { Database } from '../src/database/database';
import { ProjectorRuntime } from '../src/event-log/projector-runtime';
import { report } from './support';
// autocannon ships no types
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon');

/**
 * Sustained v2 records/s and ack latency at 64 connections on loopback against the real collector, then
 * counts the stored rows: every 201 must be a row (zero lost). Bounded by BENCH_SECONDS. The app runs in
 * this process (one of the two cores goes to the load generator). Mode from DATABASE_URL/KAFKA_BROKERS.
 */
export async function benchClearLinuxIngest(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-bench-clr-'));
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'error', PORT: '0' });
  const app = await createApp(config, AdminToken.of('bench-admin-token-0123456789'));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  try {
    const result = await new Promise<{ latency: { p50: number; p99: number }; '2xx': number; non2xx: number; requests: { average: number }; errors: number }>(
      (resolve, reject) => {
        autocannon(
          {
            url: `http://127.0.0.1:${address.port}`,
            connections: 64,
            duration: seconds,
            requests: [{ method: 'POST', path: '/v2/collector', setupRequest: (req: Record<string, unknown>) => ({ ...req, headers: recordHeaders(), body: 'hello\n\n' }) }],
          },
          (err: Error | null, res: never) => (err ? reject(err) : resolve(res)),
        );
      },
    );
    await app.get(ProjectorRuntime).catchUp(['clearlinux-records'], 300_000);
    const [{ n }] = await app.get(Database).query<{ n: number }>('SELECT count(*)::int AS n FROM records');
    report({
      bench: 'clearlinux-v2-ingest',
      mode: config.databaseUrl ? (config.kafkaBrokers.length ? 'timescaledb+kafka' : 'external') : 'embedded',
      connections: 64,
      seconds,
      acknowledged: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      recordsPerSecond: Math.round(result['2xx'] / seconds),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      rowsStored: n,
      lost: result['2xx'] - n,
    });
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A distinct, valid v4 record per request (random machine and event id), as telemetrics-client sends it. */
function recordHeaders(): Record<string, string> {
  return {
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
  };
}
