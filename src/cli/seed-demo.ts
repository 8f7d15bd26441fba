import { DEFAULT_TELEMETRY_ID } from '../sources/clearlinux/ingest/record-parser';
import { loadDemoFixtures, sendDemoRecords } from './seed/demo-fixtures';
import { demoRecords } from './seed/demo-records';

/**
 * `npm run seed:demo`: sends synthetic Clear Linux records to a running platform's real collector
 * (HTTP), so every view has data. SEED_URL (default http://127.0.0.1:8080), SEED_COUNT (default 3000,
 * at most 100 000), SEED_DAYS (capture times spread over the last N days, default 42), SEED (PRNG seed;
 * change it to add new records instead of re-sending duplicates), CLR_TELEMETRY_ID.
 */
async function main(): Promise<void> {
  const url = process.env.SEED_URL || 'http://127.0.0.1:8080';
  const count = Math.min(100_000, Number(process.env.SEED_COUNT || 3000));
  const days = Number(process.env.SEED_DAYS || 42);
  const seed = Number(process.env.SEED || 42);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(days) || days < 1 || !Number.isInteger(seed)) {
    throw new Error('SEED_COUNT, SEED_DAYS and SEED must be positive whole numbers');
  }
  const records = demoRecords(loadDemoFixtures(), { count, days, seed, salt: `seed-${seed}`, now: new Date() });
  const started = Date.now();
  const statuses = await sendDemoRecords(url, records, process.env.CLR_TELEMETRY_ID || DEFAULT_TELEMETRY_ID);
  process.stdout.write(`sent ${records.length} records to ${url} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(statuses)}\n`);
  process.stdout.write('rollups over capture time refresh every ROLLUP_REFRESH_INTERVAL_S (default 60 s)\n');
}

main().catch((err) => {
  process.stderr.write(`seed:demo failed: ${(err as Error).message}\n`);
  process.exit(1);
});
