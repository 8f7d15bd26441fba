import { WebSocket } from 'ws';
import { Database } from '../src/database/database';
import { modeOf, report, startBenchApp, waitForCount } from './support';

const NODES = 100;

/**
 * Node telemetry messages/s stored with 100 connected nodes (spec part B): each node identifies itself
 * with `system.connected`, then streams flat `block.import` frames for BENCH_SECONDS or
 * BENCH_MESSAGES_PER_NODE frames (pausing while its socket buffer is over 256 KiB, as a real node does);
 * the bench waits until `substrate_logs` holds every frame sent (zero lost) or stops growing for 30 s. Rate = rows stored / time from the
 * first frame to the last row stored. App in this process; mode from DATABASE_URL.
 */
export async function benchNodeWs(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const { app, config, baseUrl, close } = await startBenchApp();
  const db = app.get(Database);
  try {
    const sockets = await Promise.all(Array.from({ length: NODES }, () => open(`${baseUrl.replace('http', 'ws')}/`)));
    const started = Date.now();
    const deadline = started + seconds * 1000;
    const perNode = Number(process.env.BENCH_MESSAGES_PER_NODE ?? 2000);
    const sent = await Promise.all(sockets.map((ws, i) => stream(ws, i, deadline, perNode)));
    const total = sent.reduce((a, b) => a + b, 0);
    // connections stay open until everything is stored: a client that closes early would discard frames
    // still queued on its side while the server applies backpressure
    const stored = await waitForCount(async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM substrate_logs'))[0].n, total);
    const elapsed = (Date.now() - started) / 1000;
    await Promise.all(sockets.map((ws) => new Promise<void>((resolve) => (ws.once('close', () => resolve()), ws.close()))));
    report({
      bench: 'node-ws',
      mode: modeOf(config),
      nodes: NODES,
      seconds,
      framesSent: total,
      rowsStored: stored,
      lost: total - stored,
      storedPerSecond: Math.round(stored / elapsed),
      sentPerSecond: Math.round(total / seconds),
      secondsUntilAllStored: Number(elapsed.toFixed(2)),
    });
  } finally {
    await close();
  }
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Sends until the deadline or `max` frames, then waits until the socket has handed every frame to the kernel. */
async function stream(ws: WebSocket, node: number, deadline: number, max: number): Promise<number> {
  const peerId = `12D3KooWBench${String(node).padStart(4, '0')}`;
  ws.send(JSON.stringify({ msg: 'system.connected', network_id: peerId, name: `bench-${node}`, chain: 'Bench', version: '1.0', authority: false, startup_time: '1600000000000', implementation: 'bench', ts: new Date().toISOString(), level: 'INFO' }));
  let n = 1;
  while (Date.now() < deadline && n < max) {
    for (let i = 0; i < 50 && n < max; i++, n++) {
      ws.send(`{"msg":"block.import","level":"INFO","ts":"${new Date().toISOString()}","best":"0x${n.toString(16).padStart(64, '0')}","height":${n},"origin":"Own"}`);
    }
    while (ws.bufferedAmount > 256 * 1024) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setImmediate(r));
  }
  while (ws.bufferedAmount > 0) await new Promise((r) => setTimeout(r, 5));
  return n;
}
