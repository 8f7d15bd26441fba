import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../src/common/paths';
import { deleteTopics } from '../src/event-log/kafka-event-log';
import { BENCH_ADMIN_TOKEN, benchServerDatabase, freePort, generateLoad, report } from './support';

/**
 * One vs two platform instances on one TimescaleDB + Kafka (DATABASE_URL and KAFKA_BROKERS required): the same
 * client load — two load generators of 32 connections each, Clear Linux v2 records — goes either to one
 * instance or one generator to each. Rounds alternate 1, 2, 1, 2 … (BENCH_ROUNDS pairs, BENCH_SECONDS each)
 * on fresh databases and topics, so a busy moment of the shared machine hits both arms alike. Reported per
 * round: records/s, the worse generator's p50/p99, the instances' CPU per record, and the projector work
 * summed over the instances per stored record (1.0 = no event applied twice).
 */
export async function benchScaleOut(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  const brokers = process.env.KAFKA_BROKERS;
  if (!serverUrl || !brokers) throw new Error('scale-out needs DATABASE_URL (TimescaleDB) and KAFKA_BROKERS');
  const seconds = Number(process.env.BENCH_SECONDS ?? 20);
  const pairs = Number(process.env.BENCH_ROUNDS ?? 2);
  for (let round = 0; round < pairs * 2; round++) {
    const instances = round % 2 === 0 ? 1 : 2;
    report({ bench: 'scale-out', round: round + 1, instances, seconds, ...(await measureRound(serverUrl, brokers, instances, seconds)) });
  }
}

type Instance = Readonly<{ child: ChildProcess; base: string; dataDir: string }>;

async function measureRound(serverUrl: string, brokers: string, count: number, seconds: number): Promise<Record<string, unknown>> {
  const run = randomUUID().slice(0, 8);
  const server = await benchServerDatabase(serverUrl);
  const topicPrefix = `bench-scale-${run}.`;
  // Instances that share a database share their secrets (the start-up check refuses a mismatch).
  const env = {
    DATABASE_URL: server.url,
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    KAFKA_CLIENT_ID: `bench-scale-${run}`,
    CONTACT_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
    LOG_LEVEL: 'info',
  };
  const instances: Instance[] = [];
  try {
    // One after the other: the second joins the consumer groups the first created (as a scale-up does).
    for (let i = 0; i < count; i++) instances.push(await startInstance(env));
    await settled(instances);
    const cpuBefore = instances.map((p) => cpuMsOf(p.child.pid!));
    const results = await Promise.all(
      [0, 1].map((g) => generateLoad({ url: instances[g % count].base, connections: 32, durationS: seconds, factory: { module: join(__dirname, 'clearlinux-ingest.bench.js'), name: 'clearLinuxV2Request' } })),
    );
    const cpuMs = instances.reduce((sum, p, i) => sum + cpuMsOf(p.child.pid!) - cpuBefore[i], 0);
    const acknowledged = results.reduce((n, r) => n + r.ok2xx, 0);
    const caughtUpAt = Date.now();
    await settled(instances);
    const lagMs = Date.now() - caughtUpAt;
    const stored = await countRecords(server.url);
    const appliedRecords = (await Promise.all(instances.map((p) => appliedBy(p.base, 'clearlinux-records')))).reduce((a, b) => a + b, 0);
    return {
      recordsPerSecond: Math.round(acknowledged / seconds),
      acknowledged,
      non2xx: results.reduce((n, r) => n + r.non2xx + r.errors, 0),
      p50Ms: Math.max(...results.map((r) => r.p50Ms)),
      p99Ms: Math.max(...results.map((r) => r.p99Ms)),
      platformCpuMsPerRecord: Number((cpuMs / Math.max(1, acknowledged)).toFixed(3)),
      projectionCatchUpMs: lagMs,
      stored,
      lost: Math.max(0, acknowledged - stored),
      recordsProjectorAppliedPerRecord: Number((appliedRecords / Math.max(1, stored)).toFixed(3)),
      loadAverage1m: Number(loadavg()[0].toFixed(2)),
    };
  } finally {
    await Promise.all(instances.map(stopInstance));
    await server.drop();
    await deleteTopics(brokers.split(','), topicPrefix);
  }
}

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-bench-scale-'));
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', 'src', 'main.js')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while ((await fetch(`${base}/healthz`).then((r) => r.status, () => 0)) !== 200) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`instance did not start: ${output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, base, dataDir };
}

async function stopInstance(p: Instance): Promise<void> {
  if (p.child.exitCode === null) {
    const exited = new Promise((r) => p.child.once('exit', r));
    p.child.kill('SIGTERM');
    await exited;
  }
  rmSync(p.dataDir, { recursive: true, force: true });
}

const auth = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };

/** Every projector of every instance has applied everything logged (and Kafka has assigned all partitions). */
async function settled(instances: readonly Instance[]): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const lags = await Promise.all(
      instances.map(async (p) => {
        const body = (await (await fetch(`${p.base}/api/admin/status`, { headers: auth })).json()) as { projectors: { lag: number | null }[] };
        return body.projectors.every((s) => s.lag === 0);
      }),
    );
    if (lags.every(Boolean)) return;
    if (Date.now() > deadline) throw new Error('projectors did not catch up within 300 s');
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function countRecords(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM records')).rows[0].n;
  } finally {
    await client.end();
  }
}

async function appliedBy(base: string, projector: string): Promise<number> {
  const metrics = await (await fetch(`${base}/metrics`, { headers: auth })).text();
  const line = new RegExp(`^telemetry_projector_events_applied_total\\{projector="${projector}"\\} (\\d+)$`, 'm').exec(metrics);
  return Number(line?.[1] ?? 0);
}

/** CPU time (user + system) a process has used so far, from /proc (Linux; clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
