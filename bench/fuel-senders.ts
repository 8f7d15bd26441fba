import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';

/**
 * Simulated statsenderd fleet, run in a child process (so its CPU is not the platform's): `senders`
 * concurrent senders, one installation uid each, POSTing `batch` action logs per request with increasing
 * ids for `seconds`; every 10th request re-sends the sender's previous batch, which must come back
 * `existed` for every record.
 */
export type SendersSpec = Readonly<{ port: number; senders: number; batch: number; seconds: number; uidPrefix: string }>;
export type SendersResult = Readonly<{
  batches: number;
  added: number;
  resentRecords: number;
  resentNotExisted: number;
  unexpected: number;
  latenciesMs: number[];
  elapsedS: number;
}>;

type Result = { master_node_uid: string; external_id: number; status: string };

export function runSenders(spec: SendersSpec): Promise<SendersResult> {
  const child = fork(__filename, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { result?: SendersResult; error?: string }) => (m.result ? resolve(m.result) : reject(new Error(m.error))));
    child.once('exit', (code) => reject(new Error(`senders exited with ${code}`)));
    child.send(spec);
  });
}

async function send(spec: SendersSpec): Promise<SendersResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.senders });
  const post = (body: string) =>
    new Promise<{ status: number; results?: Result[] }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: spec.port, method: 'POST', path: '/api/v1/action_logs/', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { action_logs?: Result[] };
            resolve({ status: res.statusCode ?? 0, results: json.action_logs });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const out = { batches: 0, added: 0, resentRecords: 0, resentNotExisted: 0, unexpected: 0, latenciesMs: [] as number[] };
  const started = Date.now();
  const deadline = started + spec.seconds * 1000;
  await Promise.all(
    Array.from({ length: spec.senders }, async (_, s) => {
      const uid = `${spec.uidPrefix}${s}`;
      let next = 1;
      let previous: string | null = null;
      for (let n = 1; Date.now() < deadline; n++) {
        const resend: boolean = n % 10 === 0 && previous !== null;
        const body: string = resend && previous !== null ? previous : JSON.stringify({ action_logs: Array.from({ length: spec.batch }, () => actionLog(uid, next++)) });
        const t0 = process.hrtime.bigint();
        const res = await post(body);
        out.latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
        out.batches++;
        if (res.status !== 200 || !res.results) {
          out.unexpected++;
          continue;
        }
        for (const r of res.results) {
          if (resend) {
            out.resentRecords++;
            if (r.status !== 'existed') out.resentNotExisted++;
          } else if (r.status === 'added') out.added++;
          else out.unexpected++;
        }
        previous = body;
      }
    }),
  );
  agent.destroy();
  return { ...out, elapsedS: (Date.now() - started) / 1000 };
}

/** A finished nailgun deployment sub-task as the 9.x sender shapes it (~600 bytes of JSON). */
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
      additional_info: {
        parent_task_id: id - 1, subtasks_ids: [], operation: 'deployment', nodes_from_resp: [1, 2, 3], ended_with_status: 'ready', message: null,
        output: { nodes: [{ uid: '1', status: 'ready', progress: 100 }] },
      },
    },
  };
}

if (require.main === module) {
  process.once('message', (spec: SendersSpec) => {
    send(spec).then(
      (result) => process.send!({ result }, undefined, {}, () => process.exit(0)),
      (err: Error) => process.send!({ error: err.message }, undefined, {}, () => process.exit(1)),
    );
  });
}
