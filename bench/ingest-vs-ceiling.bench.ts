import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Database } from '../src/database/database';
import { ProjectorRuntime } from '../src/event-log/projector-runtime';
import { startCeilingServer, CeilingServer, processCpuMs } from './ceiling-servers';
import { clearLinuxV2Request } from './clearlinux-ingest.bench';
import { runSenders } from './fuel-senders';
import type { LoadResult, RequestFactory } from './load-generator';
import { submitRequest } from './submit.bench';
import { BenchApp, BenchServers, generateLoad, percentile, report, startBenchApp, waitForCount } from './support';

/**
 * The platform's ingest against the machine's ceiling, in one run: a bare Node `http` server and a bare
 * fastify route (both answering 201 to anything) and the platform in each mode the environment offers,
 * driven by the same load from a separate process, interleaved round by round (A B C … A B C …) so a busy
 * neighbour slows every target alike. Ratios are taken within a round and then averaged.
 *
 * Modes: embedded always; `BENCH_POSTGRES_URL` (plain PostgreSQL), `DATABASE_URL` (TimescaleDB) and, with
 * `KAFKA_BROKERS` too, TimescaleDB + Kafka. BENCH_SECONDS per round (20), BENCH_ROUNDS (2), BENCH_WORKLOADS (all).
 *
 * Workloads: Clear Linux v2 records with a 1 KiB payload at 64 connections and `/submit` 2 KiB gzip
 * documents at 64 connections (both also against the bare servers); Fuel action logs, 100 per request
 * from 16 senders (platform only: its senders read the per-record answers a bare server does not give).
 *
 * CPU: the platform runs in this process (its CPU is this process's, the load generator being another);
 * a bare server's is read from /proc. "servers" is every postgres and java (Kafka) process on the box,
 * so on a shared machine it includes the neighbours' queries: read it as an upper bound.
 */
export async function benchIngestVsCeiling(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 20);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const targets = await startTargets();
  const rows: Measurement[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const workload of selectedWorkloads()) {
        for (const target of targets) {
          if (target.kind === 'ceiling' && !workload.againstCeiling) continue;
          const m = await measure(target, workload, seconds);
          report({ bench: 'ingest-vs-ceiling', round, ...m });
          rows.push({ ...m, round });
        }
      }
    }
  } finally {
    for (const t of targets) await t.stop();
  }
  process.stdout.write(`\n${summaryTable(rows)}\n`);
}

type Target =
  | Readonly<{ kind: 'ceiling'; name: string; server: CeilingServer; stop: () => Promise<void> }>
  | Readonly<{ kind: 'platform'; name: string; bench: BenchApp; stop: () => Promise<void> }>;

async function startTargets(): Promise<Target[]> {
  const modes: [string, BenchServers][] = [['embedded', {}]];
  if (process.env.BENCH_POSTGRES_URL) modes.push(['postgres', { databaseUrl: process.env.BENCH_POSTGRES_URL }]);
  if (process.env.DATABASE_URL) modes.push(['timescaledb', { databaseUrl: process.env.DATABASE_URL }]);
  if (process.env.DATABASE_URL && process.env.KAFKA_BROKERS) {
    modes.push(['timescaledb+kafka', { databaseUrl: process.env.DATABASE_URL, kafkaBrokers: process.env.KAFKA_BROKERS }]);
  }
  const targets: Target[] = [];
  for (const kind of ['bare-http', 'bare-fastify'] as const) {
    const server = await startCeilingServer(kind);
    targets.push({ kind: 'ceiling', name: kind, server, stop: server.stop });
  }
  for (const [name, servers] of modes) {
    const bench = await startBenchApp({}, servers);
    targets.push({ kind: 'platform', name, bench, stop: bench.close });
  }
  return targets;
}

type Workload = Readonly<{ name: string; againstCeiling: boolean }>;
const WORKLOADS: readonly Workload[] = [
  { name: 'clearlinux-v2-1KiB', againstCeiling: true },
  { name: 'submit-2KiB-gzip', againstCeiling: true },
  { name: 'fuel-action-logs-100', againstCeiling: false },
];

/** BENCH_WORKLOADS (comma list of workload names) narrows a run, e.g. to profile one of them. */
function selectedWorkloads(): readonly Workload[] {
  const wanted = (process.env.BENCH_WORKLOADS ?? '').split(',').filter(Boolean);
  const unknown = wanted.filter((w) => !WORKLOADS.some((k) => k.name === w));
  if (unknown.length) throw new Error(`unknown BENCH_WORKLOADS ${unknown.join(', ')} (known: ${WORKLOADS.map((w) => w.name).join(', ')})`);
  return wanted.length ? WORKLOADS.filter((w) => wanted.includes(w.name)) : WORKLOADS;
}

type Measurement = Readonly<{
  workload: string;
  target: string;
  round?: number;
  recordsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  appCpuMsPerRecord: number;
  serversCpuMsPerRecord: number | null;
  acknowledged: number;
  stored: number | null;
  lost: number | null;
  non2xx: number;
}>;

async function measure(target: Target, workload: Workload, seconds: number): Promise<Measurement> {
  const url = target.kind === 'ceiling' ? target.server.url : target.bench.baseUrl;
  const appCpu = target.kind === 'ceiling' ? () => processCpuMs(target.server.pid) : () => cpuMsOfThisProcess();
  const db = target.kind === 'platform' ? target.bench.app.get(Database) : undefined;
  const run = randomUUID();
  const uidPrefix = `ceiling-${run.slice(0, 8)}-`;
  const storedBefore = db ? await storedRows(db, workload, run, uidPrefix) : 0;
  const app0 = appCpu();
  const servers0 = serverProcessesCpuMs();

  let acknowledged: number;
  let p50Ms: number;
  let p99Ms: number;
  let non2xx: number;
  if (workload.name === 'fuel-action-logs-100') {
    const load = await runSenders({ port: Number(new URL(url).port), senders: 16, batch: 100, seconds, uidPrefix });
    const latencies = [...load.latenciesMs].sort((a, b) => a - b);
    acknowledged = load.added;
    p50Ms = round1(percentile(latencies, 50));
    p99Ms = round1(percentile(latencies, 99));
    non2xx = load.unexpected;
  } else {
    // read by submitRequest in the load generator process, which inherits this environment
    process.env.BENCH_SUBMIT_RUN = run;
    const factory = workload.name === 'submit-2KiB-gzip' ? 'submitRequest' : 'clearLinuxV2Request1KiB';
    const load: LoadResult = await generateLoad({ url, connections: 64, durationS: seconds, factory: { module: __filename, name: factory } });
    acknowledged = load.ok2xx;
    p50Ms = load.p50Ms;
    p99Ms = load.p99Ms;
    non2xx = load.non2xx + load.errors + load.timeouts;
  }
  let stored: number | null = null;
  if (target.kind === 'platform' && db) {
    // the projection catching up is part of the cost of a record: CPU is read after it
    await target.bench.app.get(ProjectorRuntime).catchUp([PROJECTOR[workload.name]!], 600_000);
    stored = await waitForCount(async () => (await storedRows(db, workload, run, uidPrefix)) - storedBefore, acknowledged, 10_000);
  }
  const appCpuMs = appCpu() - app0;
  const serversCpuMs = serverProcessesCpuMs() - servers0;
  const perRecord = (ms: number) => Number((ms / Math.max(1, acknowledged)).toFixed(3));
  return {
    workload: workload.name,
    target: target.name,
    recordsPerSecond: Math.round(acknowledged / seconds),
    p50Ms,
    p99Ms,
    appCpuMsPerRecord: perRecord(appCpuMs),
    serversCpuMsPerRecord: target.kind === 'platform' && target.name !== 'embedded' ? perRecord(serversCpuMs) : null,
    acknowledged,
    stored,
    // requests in flight when the clock stopped may be stored without having been counted as acknowledged
    lost: stored === null ? null : Math.max(0, acknowledged - stored),
    non2xx,
  };
}

const PROJECTOR: Record<string, string> = {
  'clearlinux-v2-1KiB': 'clearlinux-records',
  'submit-2KiB-gzip': 'submission-documents',
  'fuel-action-logs-100': 'fuel-action-logs',
};

async function storedRows(db: Database, workload: Workload, run: string, uidPrefix: string): Promise<number> {
  const sql: Record<string, [string, unknown[]]> = {
    'clearlinux-v2-1KiB': ['SELECT count(*)::int AS n FROM records', []],
    'submit-2KiB-gzip': [`SELECT count(*)::int AS n FROM submission_documents WHERE metadata ->> 'x_debug_id' = $1`, [run]],
    'fuel-action-logs-100': ['SELECT count(*)::int AS n FROM fuel_action_logs WHERE master_node_uid LIKE $1', [`${uidPrefix}%`]],
  };
  const [text, params] = sql[workload.name]!;
  return (await db.query<{ n: number }>(text, params))[0]!.n;
}

function cpuMsOfThisProcess(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** CPU of every postgres and java process visible in /proc (the database servers and Kafka). */
function serverProcessesCpuMs(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm === 'postgres' || comm === 'java') total += processCpuMs(Number(entry));
    } catch {
      // the process ended between listing and reading
    }
  }
  return total;
}

const ONE_KIB = 'x'.repeat(1024);

/** The telemetrics-client v2 request of the Clear Linux ingest bench, with a 1 KiB payload. */
export const clearLinuxV2Request1KiB: RequestFactory = () => ({ ...clearLinuxV2Request(), body: ONE_KIB });
export { submitRequest };

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Means over rounds per (workload, target); ratios to the bare servers taken round by round. */
function summaryTable(rows: readonly Measurement[]): string {
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const out = [
    '| workload | target | records/s | p50 / p99 ms | app CPU ms/record | servers CPU ms/record | × bare http | × bare fastify | lost |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const keys = [...new Set(rows.map((r) => `${r.workload}\t${r.target}`))];
  for (const key of keys) {
    const [workload, target] = key.split('\t') as [string, string];
    const mine = rows.filter((r) => r.workload === workload && r.target === target);
    const ratioTo = (reference: string) => {
      const ratios = mine.flatMap((m) => {
        const ref = rows.find((r) => r.workload === workload && r.target === reference && r.round === m.round);
        return ref && ref.recordsPerSecond > 0 ? [m.recordsPerSecond / ref.recordsPerSecond] : [];
      });
      return ratios.length ? mean(ratios).toFixed(3) : '–';
    };
    const servers = mine.map((m) => m.serversCpuMsPerRecord).filter((v): v is number => v !== null);
    const lost = mine.map((m) => m.lost).filter((v): v is number => v !== null);
    out.push(
      `| ${workload} | ${target} | ${Math.round(mean(mine.map((m) => m.recordsPerSecond)))} | ` +
        `${mean(mine.map((m) => m.p50Ms)).toFixed(0)} / ${mean(mine.map((m) => m.p99Ms)).toFixed(0)} | ` +
        `${mean(mine.map((m) => m.appCpuMsPerRecord)).toFixed(3)} | ${servers.length ? mean(servers).toFixed(3) : '–'} | ` +
        `${ratioTo('bare-http')} | ${ratioTo('bare-fastify')} | ${lost.length ? lost.reduce((a, b) => a + b, 0) : '–'} |`,
    );
  }
  return out.join('\n');
}
