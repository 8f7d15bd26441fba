import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { deleteTopics } from '../src/event-log/kafka-event-log';
import { benchServerDatabase, freePort, report } from './support';

const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789';
/** /metrics needs a viewer unless PUBLIC_READ_ROUTES has `metrics`. */
const METRICS_AUTH = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };

/**
 * What an instance costs with no traffic at all: `node dist/src/main.js` as a child process (so its CPU is
 * its own), in the mode DATABASE_URL / KAFKA_BROKERS select, left alone for BENCH_IDLE_SETTLE_S (default
 * 15: start-up work, and PostgreSQL's statistics of it, which an idle backend reports up to ~11 s late),
 * then measured for BENCH_IDLE_SECONDS (default 20): app CPU (% of one core), statements/s from its
 * /metrics counter and, on an external PostgreSQL on this machine, the server's CPU and transactions/s;
 * with BENCH_BROKER_PID (the local Kafka broker's pid, e.g. from ops/kafka's kafka.pid) also the broker's CPU.
 */
export async function benchIdle(): Promise<void> {
  const settleS = Number(process.env.BENCH_IDLE_SETTLE_S ?? 15);
  const seconds = Number(process.env.BENCH_IDLE_SECONDS ?? 20);
  const serverUrl = process.env.DATABASE_URL || undefined;
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const mode = serverUrl ? (brokers.length > 0 ? 'timescaledb+kafka' : 'external') : 'embedded';
  const run = randomUUID().slice(0, 8);
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-bench-idle-'));
  const database = serverUrl ? await benchServerDatabase(serverUrl) : undefined;
  const topicPrefix = `bench-idle-${run}.`;
  const port = await freePort();
  let app: ChildProcess | undefined;
  let monitor: Client | undefined;
  try {
    app = await startApp(port, {
      DATABASE_URL: database?.url ?? '',
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      KAFKA_CLIENT_ID: `bench-idle-${run}`,
      DATA_DIR: dataDir,
    });
    const metricsUrl = `http://127.0.0.1:${port}/metrics`;
    await sleep(settleS * 1000);

    // Connected to DATABASE_URL's own database, so its queries are not counted for the app's database.
    const server = serverUrl ? await openMonitor(serverUrl, new URL(database!.url).pathname.slice(1)) : undefined;
    monitor = server?.client;
    const brokerPid = brokers.length > 0 && process.env.BENCH_BROKER_PID ? Number(process.env.BENCH_BROKER_PID) : undefined;
    const sample = async () => ({
      statements: await statementsOf(metricsUrl),
      app: cpuTicks(app!.pid!),
      broker: brokerPid === undefined ? undefined : cpuTicks(brokerPid),
      server: await server?.sample(),
      at: Date.now(),
    });
    const before = await sample();
    await sleep(seconds * 1000);
    const after = await sample();

    const elapsedS = (after.at - before.at) / 1000;
    const pct = (ticks: number) => round1((ticks / CLOCK_TICKS / elapsedS) * 100);
    report({
      bench: 'idle',
      mode,
      seconds: round1(elapsedS),
      appCpuPct: pct(after.app - before.app),
      statementsPerSecond: round1((after.statements - before.statements) / elapsedS),
      ...(before.server && after.server
        ? {
            dbServerCpuPct: before.server.local ? pct(cpuDelta(before.server.processTicks, after.server.processTicks)) : null,
            dbBackendsCpuPct: before.server.local ? pct(cpuDelta(before.server.backendTicks, after.server.backendTicks)) : null,
            xactPerSecond: round1((after.server.xacts - before.server.xacts) / elapsedS),
          }
        : {}),
      ...(before.broker !== undefined ? { brokerCpuPct: pct(after.broker! - before.broker) } : {}),
    });
  } finally {
    await monitor?.end().catch(() => undefined);
    if (app) await stopApp(app);
    await database?.drop();
    if (brokers.length > 0) await deleteTopics(brokers, topicPrefix);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const round1 = (n: number) => Math.round(n * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startApp(port: number, env: Record<string, string>): Promise<ChildProcess> {
  const main = join(__dirname, '..', 'src', 'main.js');
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', ADMIN_TOKEN: BENCH_ADMIN_TOKEN, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start: ${output.slice(-2000)}`)), 120_000);
    const poll = setInterval(() => {
      fetch(`http://127.0.0.1:${port}/metrics`, { headers: METRICS_AUTH }).then(
        (res) => {
          if (!res.ok) return;
          clearTimeout(timer);
          clearInterval(poll);
          resolve();
        },
        () => undefined,
      );
    }, 200);
    child.once('exit', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`app exited ${code}: ${output.slice(-2000)}`));
    });
  });
  child.removeAllListeners('exit');
  return child;
}

async function stopApp(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

async function statementsOf(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl, { headers: METRICS_AUTH })).text();
  const line = /^telemetry_db_statements_total (\d+)/m.exec(text);
  if (!line) throw new Error('the app exposes no telemetry_db_statements_total');
  return Number(line[1]);
}

/** utime + stime of a process (all its threads), in clock ticks. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields after the parenthesised command name (which may contain spaces): state ppid ... utime(14) stime(15)
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Sum over the processes present in both samples (a backend that exited or started in between is left out). */
function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, t] of after) if (before.has(pid)) ticks += t - before.get(pid)!;
  return ticks;
}

/** CPU ticks per pid of the whole cluster and of the app database's backends (`local`: the server runs on this machine). */
type ServerSample = { local: boolean; processTicks: Map<number, number>; backendTicks: Map<number, number>; xacts: number };

/**
 * Samples the PostgreSQL server when it runs on this machine: its processes are the postmaster (the parent
 * of our own backend) and the postmaster's children; the app's own backends are those connected to its database.
 */
async function openMonitor(serverUrl: string, appDatabase: string): Promise<{ client: Client; sample: () => Promise<ServerSample> }> {
  const client = new Client({ connectionString: serverUrl, application_name: 'bench-idle monitor' });
  await client.connect();
  const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
  let postmaster: number | undefined;
  try {
    // a pid of this machine only counts when it is a postgres process (the server may run elsewhere)
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('postgres')) postmaster = parentOf(pid);
  } catch {
    postmaster = undefined; // server not on this machine (or in another pid namespace): no CPU figures
  }
  const sample = async (): Promise<ServerSample> => {
    await client.query('SELECT pg_stat_clear_snapshot()');
    const [{ xacts }] = (
      await client.query<{ xacts: string }>('SELECT (xact_commit + xact_rollback)::text AS xacts FROM pg_stat_database WHERE datname = $1', [appDatabase])
    ).rows;
    const backends = (await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [appDatabase])).rows.map((r) => r.pid);
    const processTicks = new Map<number, number>();
    if (postmaster !== undefined) {
      for (const entry of readdirSync('/proc')) {
        const p = Number(entry);
        if (!Number.isInteger(p) || p <= 0) continue;
        try {
          if (p === postmaster || parentOf(p) === postmaster) processTicks.set(p, cpuTicks(p));
        } catch {
          // exited while we looked
        }
      }
    }
    const backendTicks = new Map<number, number>();
    for (const p of backends) {
      const t = processTicks.get(p);
      if (t !== undefined) backendTicks.set(p, t);
    }
    return { local: postmaster !== undefined, processTicks, backendTicks, xacts: Number(xacts) };
  };
  return { client, sample };
}
