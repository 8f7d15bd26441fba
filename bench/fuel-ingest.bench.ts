import { Agent, request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Database } from '../src/database/database';
import { ProjectorRuntime } from '../src/event-log/projector-runtime';
import { startBenchApp } from './fuel-support';
import { percentile, report } from './support';

type Result = { master_node_uid: string; external_id: number; status: string };

/**
 * Fuel action-log ingest: BENCH_SENDERS (16) concurrent senders POST batches of 100 records for
 * BENCH_SECONDS (10), as statsenderd does (one uid per sender, increasing ids). Every 10th batch is a
 * re-send of the sender's previous batch, which must be answered `existed` and never stored twice.
 * Afterwards the stored rows are counted: rows must equal the records answered `added` (zero lost).
 */
export async function benchFuelIngest(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const senders = Number(process.env.BENCH_SENDERS ?? 16);
  const batch = 100;
  const run = randomUUID().slice(0, 8);
  const bench = await startBenchApp();
  const agent = new Agent({ keepAlive: true, maxSockets: senders });
  const post = (body: string) =>
    new Promise<{ status: number; json: { action_logs?: Result[] } }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: bench.port, method: 'POST', path: '/api/v1/action_logs/', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const latencies: number[] = [];
  let added = 0;
  let resentRecords = 0;
  let resentNotExisted = 0;
  let unexpected = 0;
  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: senders }, async (_, s) => {
      const uid = `bench-${run}-${s}`;
      let next = 1;
      let previous: string | null = null;
      for (let n = 1; Date.now() < deadline; n++) {
        const resend: boolean = n % 10 === 0 && previous !== null;
        const body: string = resend && previous !== null ? previous : JSON.stringify({ action_logs: Array.from({ length: batch }, () => actionLog(uid, next++)) });
        const t0 = process.hrtime.bigint();
        const res = await post(body);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (res.status !== 200 || !res.json.action_logs) {
          unexpected++;
          continue;
        }
        for (const r of res.json.action_logs) {
          if (resend) {
            resentRecords++;
            if (r.status !== 'existed') resentNotExisted++;
          } else if (r.status === 'added') added++;
          else unexpected++;
        }
        previous = body;
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();
  process.stderr.write(`fuel-ingest: load done (${latencies.length} batches, ${added} added), waiting for the projection\n`);
  try {
    await bench.app.get(ProjectorRuntime).catchUp(['fuel-action-logs'], 600_000);
    const [{ n }] = await bench.app
      .get(Database)
      .query<{ n: number }>(`SELECT count(*)::int AS n FROM fuel_action_logs WHERE master_node_uid LIKE $1`, [`bench-${run}-%`]);
    latencies.sort((a, b) => a - b);
    report({
      bench: 'fuel-action-logs-ingest',
      mode: bench.mode,
      senders,
      batchSize: batch,
      seconds: Math.round(elapsed * 10) / 10,
      batches: latencies.length,
      recordsAdded: added,
      recordsPerSecond: Math.round(added / elapsed),
      resentRecords,
      resentNotAnsweredExisted: resentNotExisted,
      unexpected,
      batchP50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
      batchP99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
      rowsStored: n,
      lost: added - n,
      duplicatesStored: Math.max(0, n - added),
    });
  } finally {
    await bench.close();
  }
}

/** A finished nailgun deploy sub-task as the 9.x sender shapes it (~500 bytes of JSON). */
function actionLog(uid: string, id: number) {
  return {
    master_node_uid: uid,
    external_id: id,
    body: {
      id,
      actor_id: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
      action_group: 'cluster_changes',
      action_name: id % 2 ? 'deployment' : 'provision',
      action_type: 'nailgun_task',
      start_timestamp: '2016-06-01T09:20:01.000000',
      end_timestamp: '2016-06-01T09:41:40.000000',
      is_sent: false,
      cluster_id: 1,
      additional_info: { parent_task_id: id - 1, subtasks_ids: [], operation: 'deployment', nodes_from_resp: [1, 2, 3], ended_with_status: 'ready', message: null, output: { nodes: [{ uid: '1', status: 'ready', progress: 100 }] } },
    },
  };
}
