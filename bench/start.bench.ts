import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { PROJECT_ROOT } from '../src/common/paths';
import { deleteTopics } from '../src/event-log/kafka-event-log';
import { benchServerDatabase, freePort, report } from './support';

/**
 * Time from spawning `npm start` (its up-to-date check of the build included) to the first `/healthz`
 * 200, on an empty data directory / fresh database and then again on the same one ("warm", BENCH_RUNS
 * times); then how long a SIGTERM takes to end the process, and with which exit code. Mode from
 * DATABASE_URL / KAFKA_BROKERS, always on a throw-away database, data directory and topics.
 */
export async function benchStart(): Promise<void> {
  const warmRuns = Number(process.env.BENCH_RUNS ?? 3);
  const run = randomUUID().slice(0, 8);
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-bench-start-'));
  const server = process.env.DATABASE_URL ? await benchServerDatabase(process.env.DATABASE_URL) : undefined;
  const kafkaBrokers = process.env.KAFKA_BROKERS ?? '';
  const topicPrefix = `bench-start-${run}.`;
  const mode = server ? (kafkaBrokers ? 'timescaledb+kafka' : 'external') : 'embedded';
  const env = { DATA_DIR: dataDir, DATABASE_URL: server?.url ?? '', KAFKA_BROKERS: kafkaBrokers, KAFKA_TOPIC_PREFIX: topicPrefix, KAFKA_CLIENT_ID: `bench-start-${run}` };
  try {
    for (let i = 0; i <= warmRuns; i++) {
      const started = await startAndStop(env);
      // Wall-clock times: on a shared machine they say little without the load they were measured under.
      report({ bench: 'start', mode, data: i === 0 ? 'empty' : 'warm', command: 'npm start', ...started, loadAverage1m: Number(loadavg()[0].toFixed(2)) });
    }
  } finally {
    await server?.drop();
    if (kafkaBrokers) await deleteTopics(kafkaBrokers.split(','), topicPrefix);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

type StartStop = { msToHealthy: number; msToExitAfterSigterm: number; exitCode: number | null; exitSignal: string | null };

async function startAndStop(env: Record<string, string>): Promise<StartStop> {
  const port = await freePort();
  const spawnedAt = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  try {
    await untilHealthy(`http://127.0.0.1:${port}/healthz`, child, () => output);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const msToHealthy = Math.round(performance.now() - spawnedAt);
  // npm forwards the signal to the app (as a terminal's Ctrl-C or a service manager's stop would reach it).
  const signalledAt = performance.now();
  child.kill('SIGTERM');
  const { code, signal } = await exited;
  return { msToHealthy, msToExitAfterSigterm: Math.round(performance.now() - signalledAt), exitCode: code, exitSignal: signal };
}

async function untilHealthy(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = performance.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}: ${output().slice(-2000)}`);
    if (performance.now() > deadline) throw new Error(`not healthy within 120 s: ${output().slice(-2000)}`);
    const status = await fetch(url).then((r) => r.status, () => 0);
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
