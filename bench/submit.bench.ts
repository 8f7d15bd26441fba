import { randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Database } from '../src/database/database';
import { report, startBenchApp, waitForCount } from './support';
// autocannon ships no types
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon');

/**
 * Sustained `/submit` documents/s at 64 connections with 2 KiB gzip bodies (spec part A), each to a fresh
 * docid so nothing is a duplicate; then waits for the projection and counts stored documents: every 200
 * must be a row (zero lost). Bounded by BENCH_SECONDS. App in this process; mode from DATABASE_URL/KAFKA_BROKERS.
 */
export async function benchSubmit(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const { app, port, mode, close } = await startBenchApp();
  const body = twoKibGzipDocument();
  const run = randomUUID();
  try {
    const result = await new Promise<{ latency: { p50: number; p99: number }; '2xx': number; non2xx: number; errors: number }>((resolve, reject) => {
      autocannon(
        {
          url: `http://127.0.0.1:${port}`,
          connections: 64,
          duration: seconds,
          requests: [
            {
              method: 'POST',
              setupRequest: (req: Record<string, unknown>) => ({
                ...req,
                path: `/submit/test/test/1/${randomUUID()}`,
                headers: { 'content-type': 'application/json', 'x-debug-id': run, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0' },
                body,
              }),
            },
          ],
        },
        (err: Error | null, res: never) => (err ? reject(err) : resolve(res)),
      );
    });
    const db = app.get(Database);
    const count = async () =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM submission_documents WHERE metadata ->> 'x_debug_id' = $1`, [run]))[0].n;
    const stored = await waitForCount(count, result['2xx']);
    report({
      bench: 'submit',
      mode,
      connections: 64,
      bodyBytes: body.length,
      seconds,
      acknowledged: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      documentsPerSecond: Math.round(result['2xx'] / seconds),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      // ≥ acknowledged: requests still in flight when autocannon stops are stored but not counted as 2xx
      rowsStored: stored,
      lost: Math.max(0, result['2xx'] - stored),
    });
  } finally {
    await close();
  }
}

/** A JSON document whose gzip is ≈ 2 KiB (random hex does not compress below half). */
function twoKibGzipDocument(): Buffer {
  let size = 3000;
  for (;;) {
    const gz = gzipSync(JSON.stringify({ kind: 'bench', noise: randomBytes(size / 2).toString('hex') }));
    if (gz.length >= 2048) return gz;
    size += 128;
  }
}
