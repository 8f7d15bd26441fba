import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import { emptyTally, recordFailure, SendTally } from './demo-send';

/**
 * The node-telemetry part of the demo (spec submissions-and-nodes.md §B): a few substrate nodes, each one websocket session on
 * `/audit` (kept, unlike `/` whose logs expire after LOG_EXPIRY_H) that identifies itself with
 * `system.connected`, then sends `system.interval`, `block.import` and one `system.network_state` whose
 * peerset rates the other demo nodes (the reputation table). Node telemetry has no dedupe key — every
 * session is a new peer connection — so a re-run asks `GET /nodes` which demo peers the platform already
 * knows and skips those sessions (counted as duplicates).
 */
export type NodeSession = Readonly<{ peerId: string; name: string; frames: string[] }>;

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A libp2p-looking peer id (12D3KooW + 44 base58 characters) derived from a name. */
export function demoPeerId(name: string): string {
  const bytes = createHash('sha512').update(name).digest();
  return `12D3KooW${Array.from(bytes.subarray(0, 44), (b) => BASE58[b % 58]).join('')}`;
}

const NAMES = ['demo-validator-alice', 'demo-validator-bob', 'demo-full-charlie', 'demo-archive-dave'];

/** Pure: `count` sessions whose message times lead up to `now` (RFC 3339 with nanoseconds, like a node). */
export function nodeDemoSessions(o: Readonly<{ count: number; seed: number; now: Date; messages?: number }>): NodeSession[] {
  const peers = Array.from({ length: o.count }, (_, i) => ({ name: NAMES[i % NAMES.length] + (i >= NAMES.length ? `-${i}` : ''), peerId: demoPeerId(`nodes-demo:${o.seed}:${i}`) }));
  const messages = o.messages ?? 30;
  return peers.map((p, i) => {
    const start = o.now.getTime() - (messages + 2) * 6000;
    const ts = (k: number) => new Date(start + k * 6000).toISOString().replace(/Z$/, '000000+00:00');
    const frames: object[] = [
      {
        msg: 'system.connected', level: 'INFO', ts: ts(0), name: p.name, chain: 'Demo Testnet', version: '2.0.0-x86_64-linux-gnu',
        authority: i < 2, network_id: p.peerId, startup_time: String(start - 60_000), implementation: 'Substrate Node', config: '',
      },
    ];
    for (let k = 1; k <= messages; k++) {
      const height = 1_850_000 + k * 2 + i;
      frames.push({ msg: 'block.import', level: 'INFO', ts: ts(k), best: `0x${createHash('sha256').update(`${p.peerId}:${height}`).digest('hex')}`, height, origin: 'NetworkBroadcast' });
      if (k % 5 === 0) {
        frames.push({
          msg: 'system.interval', level: 'INFO', ts: ts(k), peers: o.count - 1, txcount: k % 7, cpu: 5 + ((k * 7 + i * 3) % 40), memory: 180_000 + k * 100,
          bandwidth_download: 18_000 + k * 10, bandwidth_upload: 21_000 + k * 10, finalized_height: height - 2, height, best: `0x${'ab'.repeat(32)}`,
        });
      }
    }
    const nodes = Object.fromEntries(peers.filter((q) => q.peerId !== p.peerId).map((q, j) => [q.peerId, { reputation: ((i + 1) * 100 - j * 37) % 500, connected: (i + j) % 3 !== 0 }]));
    frames.push({ msg: 'system.network_state', level: 'INFO', ts: ts(messages + 1), state: { peerId: p.peerId, connectedPeers: {}, peerset: { nodes } } });
    return { peerId: p.peerId, name: p.name, frames: frames.map((f) => JSON.stringify(f)) };
  });
}

/** Demo peers the platform already has (`GET /nodes`, with the token unless PUBLIC_READ_ROUTES reopened it). */
async function knownPeers(baseUrl: string, token: string | undefined): Promise<Set<string>> {
  const res = await fetch(`${baseUrl}/nodes`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (res.status !== 200) throw new Error(`GET /nodes answered ${res.status}`);
  return new Set(((await res.json()) as { peer_id: string | null }[]).map((n) => n.peer_id).filter((p): p is string => p !== null));
}

function runSession(wsUrl: string, s: NodeSession): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake answered HTTP ${res.statusCode}`)));
    ws.once('error', reject);
    ws.once('open', () => {
      for (const f of s.frames) ws.send(f);
      // a normal close is answered once the server has read every frame sent before it
      ws.once('close', () => resolve());
      ws.close(1000);
    });
  });
}

/** Runs the sessions of peers not yet known, then waits (bounded) until `/nodes` lists every demo peer. */
export async function sendNodeSessions(baseUrl: string, sessions: readonly NodeSession[], o: Readonly<{ waitMs?: number; token?: string; onSent?: (t: SendTally) => void }> = {}): Promise<SendTally> {
  const base = baseUrl.replace(/\/$/, '');
  const tally = emptyTally();
  if (sessions.length === 0) return tally;
  let known: Set<string>;
  try {
    known = await knownPeers(base, o.token);
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    for (const s of sessions) recordFailure(tally, `node session ${s.name}: ${cause?.code ?? (err as Error).message}`);
    tally.sent = sessions.length;
    return tally;
  }
  const wsUrl = `${base.replace(/^http/, 'ws')}/audit`;
  const fresh: NodeSession[] = [];
  for (const s of sessions) {
    if (known.has(s.peerId)) tally.duplicate++;
    else {
      try {
        await runSession(wsUrl, s);
        fresh.push(s);
      } catch (err) {
        recordFailure(tally, `node session ${s.name}: ${(err as Error).message}`);
      }
    }
    tally.sent++;
    o.onSent?.(tally);
  }
  const deadline = Date.now() + (o.waitMs ?? 15_000);
  let missing = fresh;
  while (missing.length > 0) {
    const now = await knownPeers(base, o.token).catch(() => new Set<string>());
    missing = missing.filter((s) => !now.has(s.peerId));
    if (missing.length === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  for (const s of fresh) {
    if (missing.includes(s)) recordFailure(tally, `node session ${s.name}: peer ${s.peerId} not listed by /nodes after the session`);
    else tally.created++;
  }
  return tally;
}
