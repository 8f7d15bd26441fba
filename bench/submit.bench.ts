import { randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Database } from '../src/database/database';
import type { RequestFactory } from './load-generator';
import { generateLoad, measureCpu, modeOf, report, startBenchApp, waitForCount } from './support';

/**
 * Sustained `/submit` documents/s at 64 connections with 2 KiB gzip bodies (spec part A), each to a fresh
 * docid so nothing is a duplicate; then waits until the run's documents are projected and counts them:
 * every 200 must be a row (zero lost). Bounded by BENCH_SECONDS. Load from a child process (autocannon);
 * mode from DATABASE_URL/KAFKA_BROKERS, always on a throw-away database and topics.
 */
export async function benchSubmit(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const { app, config, baseUrl, close } = await startBenchApp();
  const run = randomUUID();
  process.env.BENCH_SUBMIT_RUN = run; // read by submitRequest in the load generator process
  try {
    const { value: load, cpuMs } = await measureCpu(() =>
      generateLoad({ url: baseUrl, connections: 64, durationS: seconds, factory: { module: __filename, name: 'submitRequest' } }),
    );
    const db = app.get(Database);
    const count = async () =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM submission_documents WHERE metadata ->> 'x_debug_id' = $1`, [run]))[0].n;
    const stored = await waitForCount(count, load.ok2xx);
    report({
      bench: 'submit',
      mode: modeOf(config),
      connections: 64,
      bodyBytes: body().length,
      seconds,
      acknowledged: load.ok2xx,
      non2xx: load.non2xx,
      errors: load.errors,
      timeouts: load.timeouts,
      documentsPerSecond: Math.round(load.ok2xx / seconds),
      p50Ms: load.p50Ms,
      p99Ms: load.p99Ms,
      // platform process CPU per acknowledged document (the load generator runs in its own process)
      platformCpuMsPerDocument: Number((cpuMs / Math.max(1, load.ok2xx)).toFixed(3)),
      // may exceed acknowledged: requests in flight when the load stops are stored but not counted as 2xx
      rowsStored: stored,
      lost: Math.max(0, load.ok2xx - stored),
    });
  } finally {
    await close();
  }
}

let gzipped: Buffer | undefined;

/** A JSON document whose gzip is ≈ 2 KiB (random hex does not compress below half). */
function body(): Buffer {
  if (gzipped) return gzipped;
  for (let size = 3000; ; size += 128) {
    const gz = gzipSync(JSON.stringify({ kind: 'bench', noise: randomBytes(size / 2).toString('hex') }));
    if (gz.length >= 2048) return (gzipped = gz);
  }
}

/** One submission to a fresh docid, tagged with the run id (X-Debug-ID is kept in metadata). */
export const submitRequest: RequestFactory = () => ({
  method: 'POST',
  path: `/submit/test/test/1/${randomUUID()}`,
  headers: {
    'content-type': 'application/json',
    'x-debug-id': process.env.BENCH_SUBMIT_RUN ?? '',
    'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
  },
  body: body(),
});
