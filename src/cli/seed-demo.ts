import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TELEMETRY_ID } from '../sources/clearlinux/ingest/record-parser';
import { seedDemo, SeedOptions, startOfUtcDay, tallyLine } from './seed/seed-demo.run';

/**
 * `npm run seed:demo`: demo data for every source, sent to a running platform's real collectors — Clear
 * Linux records (heartbeats, crashes, kernel oopses, MCE and thermal), Fuel installations with action
 * logs, OSWL stats and one failure report, /submit documents (some failing: bad JSON, schema), and a few
 * node-telemetry websocket sessions. 503s are retried honouring Retry-After (bounded); the exit status
 * is 1 when any send failed, each failure printed. Re-running on the same UTC day sends the same ids and
 * the platform answers duplicates (nothing is stored twice).
 *
 * SEED_URL (default http://127.0.0.1:8080), SEED_COUNT (Clear Linux records, default 3000, at most
 * 100 000), SEED_DAYS (capture times over the last N days, default 42), SEED (PRNG seed, default 42;
 * change it to add new data), SEED_ANCHOR (ISO time the data leads up to; default the start of today,
 * UTC), SEED_FUEL (installations, default 12), SEED_SUBMISSIONS (documents, default 40), SEED_NODES
 * (node sessions, default 4), CLR_TELEMETRY_ID, SEED_TOKEN (a credential for reading `/nodes` back; default
 * ADMIN_TOKEN, else DATA_DIR/admin-token).
 */
function whole(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name] ?? '';
  const value = raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

export function optionsFromEnv(): SeedOptions {
  const anchorRaw = process.env.SEED_ANCHOR;
  const anchor = anchorRaw ? new Date(anchorRaw) : startOfUtcDay(new Date());
  if (Number.isNaN(anchor.getTime()) || anchor.getTime() > Date.now()) throw new Error(`SEED_ANCHOR must be an ISO time not in the future, got "${anchorRaw}"`);
  return {
    url: (process.env.SEED_URL || 'http://127.0.0.1:8080').replace(/\/$/, ''),
    seed: whole('SEED', 42, 0, 2 ** 31 - 1),
    anchor,
    clearLinux: { count: whole('SEED_COUNT', 3000, 0, 100_000), days: whole('SEED_DAYS', 42, 1, 3650), telemetryId: process.env.CLR_TELEMETRY_ID || DEFAULT_TELEMETRY_ID },
    fuelInstallations: whole('SEED_FUEL', 12, 0, 10_000),
    submissions: whole('SEED_SUBMISSIONS', 40, 0, 100_000),
    nodeSessions: whole('SEED_NODES', 4, 0, 100),
    token: process.env.SEED_TOKEN || process.env.ADMIN_TOKEN || tokenFile(process.env.DATA_DIR || './data'),
  };
}

async function main(): Promise<number> {
  const options = optionsFromEnv();
  const tty = process.stdout.isTTY;
  process.stdout.write(`seeding ${options.url} (seed ${options.seed}, data up to ${options.anchor.toISOString()})\n`);
  const report = await seedDemo({ ...options, progress: (line) => process.stdout.write(tty ? `\r\x1b[K${line}` : `${line}\n`) });
  if (tty) process.stdout.write('\n');
  const totals = { clearlinux: options.clearLinux.count, fuel: report.sources.fuel.sent, submissions: report.sources.submissions.sent, nodes: options.nodeSessions };
  for (const [source, tally] of Object.entries(report.sources)) process.stdout.write(`${tallyLine(source, tally, totals[source as keyof typeof totals])}\n`);
  process.stdout.write(`done in ${report.seconds.toFixed(1)} s; Clear Linux rollups over capture time refresh every ROLLUP_REFRESH_INTERVAL_S (default 60 s)\n`);
  if (report.failed === 0) return 0;
  process.stderr.write(`seed:demo: ${report.failed} sends failed:\n`);
  for (const [source, tally] of Object.entries(report.sources)) for (const line of tally.failures) process.stderr.write(`  ${source}: ${line}\n`);
  return 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`seed:demo failed: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}

/** The platform's generated admin token, when it runs on this DATA_DIR without ADMIN_TOKEN. */
function tokenFile(dataDir: string): string | undefined {
  const file = join(dataDir, 'admin-token');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}
