import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { readFixtureText } from '../../support/fixtures';
import { closeSocket, openSocket } from '../../support/websocket';
import { eventually } from '../../support/database';
import { startTestApp, TestApp } from '../../support/app';
import { NodesModule } from '../../../src/sources/nodes/nodes.module';

const flat = readFixtureText('nodes/legacy-flat-messages.ndjson').trim().split('\n');
const envelopes = readFixtureText('nodes/envelope-messages.ndjson').trim().split('\n');

/** The fixture's system.connected with a fresh peer id (fresh per run and per route). */
function connectedMessage(peerId: string, name: string): string {
  const m = JSON.parse(flat.find((l) => l.includes('"system.connected"'))!);
  return JSON.stringify({ ...m, network_id: peerId, name });
}

describe('node telemetry websocket + JSON endpoints (spec submissions-and-nodes.md §B.11)', () => {
  let t: TestApp;
  let port: number;
  const peer = `12D3KooWTest${randomBytes(6).toString('hex')}`;
  const auditPeer = `12D3KooWAudit${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    // The spec's acceptance check (submissions-and-nodes.md §B.11) reads these without a credential, as
    // upstream's clients do: the installation reopens them (README "Security model").
    t = await startTestApp({ PUBLIC_READ_ROUTES: 'nodes,stats-db,metrics' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => t?.close());

  const get = async (url: string) => {
    const res = await t.app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json() };
  };

  it('stores every fixture message (flat + envelope) under the identified peer', async () => {
    const ws = await openSocket(port, '/');
    ws.send(connectedMessage(peer, 'fixture-node'));
    for (const line of flat) ws.send(line);
    for (const line of envelopes) ws.send(Buffer.from(line), { binary: true }); // binary frames are JSON too
    ws.send('{"msg":"txpool.import","ready":1}'); // no ts: stored with the server time
    ws.send('not json at all'); // counted + error table, not stored
    await closeSocket(ws);

    // 1 + 17 + 7 + 1 stored
    await eventually(async () => (await get(`/nodes/logs?peer_id=${peer}`)).body.length === 26, 5000, 'all 26 messages stored');
    const nodes = (await get('/nodes')).body as Record<string, unknown>[];
    const row = nodes.find((n) => n.peer_id === peer)!;
    expect(row).toMatchObject({ peer_id: peer, name: 'fixture-node', chain: 'Development', audit: false, ip_addr: '127.0.0.0/24' });
    expect(row.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);

    const logs = (await get(`/nodes/logs?peer_id=${peer}`)).body as { msg: string; created_at: string; logs: Record<string, unknown> }[];
    // newest first: the no-ts message got the server clock (2026), the rest are 2020 node times
    expect(logs[0].msg).toBe('txpool.import');
    const times = logs.slice(1).map((l) => l.created_at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(logs.at(-1)!.created_at).toBe('2020-01-22T12:48:11.227527'); // babe.checked_and_importing, oldest ts (.227526768 rounded to µs)

    const connected = (await get(`/nodes/logs?peer_id=${peer}&msg=system.connected`)).body as { logs: Record<string, unknown> }[];
    expect(connected).toHaveLength(3); // ours + the fixture's flat one + the envelope one (msg readable)
    expect((await get(`/nodes/logs?peer_id=${peer}&limit=1`)).body).toHaveLength(1);
    const profiling = (await get(`/nodes/logs?peer_id=${peer}&target=${encodeURIComponent(JSON.parse(flat.find((l) => l.includes('tracing.profiling'))!).target)}`)).body;
    expect(profiling).toHaveLength(1);
    const windowed = (await get(`/nodes/logs?peer_id=${peer}&start_time=2020-02-14T17:00:00&end_time=2020-02-14T17:00:05Z`)).body as { msg: string }[];
    expect(windowed.map((l) => l.msg).sort()).toEqual(
      ['afg.commit_issued', 'afg.commit_issued', 'afg.finalized_blocks_up_to', 'afg.finalized_blocks_up_to', 'notify.finalized', 'prepared_block_for_proposing', 'slots.pre_sealed_block', 'system.interval', 'system.interval', 'tracing.profiling'].sort(),
    );

    const stats = (await get(`/nodes/log_stats?peer_id=${peer}`)).body as { qty: number; log_type: string }[];
    const byType = Object.fromEntries(stats.map((s) => [s.log_type, s.qty]));
    expect(byType).toEqual({
      'afg.announcing_blocks_to_voted_peers': 2,
      'afg.authority_set': 2,
      'afg.commit_issued': 2,
      'afg.finalized': 2,
      'afg.finalized_blocks_up_to': 2,
      'babe.checked_and_importing': 1,
      'block.import': 1,
      'notify.finalized': 1,
      'prepared_block_for_proposing': 1,
      'slots.err_with_block_built_on': 1,
      'slots.pre_sealed_block': 1,
      'slots.starting_authorship': 1,
      'system.connected': 3,
      'system.interval': 2,
      'system.network_state': 1,
      'tracing.profiling': 1,
      'txpool.import': 2,
    });

    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^substrate_message_count 26$/m);
    expect(metrics).toMatch(/^telemetry_node_messages_dropped_total\{reason="invalid_json"\} 1$/m);
    expect(metrics).toMatch(/^telemetry_node_messages_dropped_total\{reason="no_timestamp"\} 1$/m);
    expect(metrics).toMatch(/^telemetry_node_messages_stored_total\{route="\/"\} 26$/m);
    const errors = await t.db.query<{ reason: string; frame_head: string }>(`SELECT reason, frame_head FROM node_message_errors`);
    expect(errors).toEqual([{ reason: 'invalid_json', frame_head: 'not json at all' }]);
  });

  it('/audit rows are audit=true', async () => {
    const ws = await openSocket(port, '/audit');
    ws.send(connectedMessage(auditPeer, 'audit-node'));
    ws.send(envelopes[0]);
    await closeSocket(ws);
    await eventually(async () => (await get(`/nodes/logs?peer_id=${auditPeer}`)).body.length === 2, 5000, 'audit messages stored');
    const row = ((await get('/nodes/')).body as Record<string, unknown>[]).find((n) => n.peer_id === auditPeer);
    expect(row).toMatchObject({ audit: true, name: 'audit-node' });
  });

  it('stores a 200 KiB message (big peerset) in every mode, under WS_MAX_PAYLOAD', async () => {
    const bigPeer = `12D3KooWBig${randomBytes(6).toString('hex')}`;
    const nodes = Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`12D3KooWRemote${String(i).padStart(60, '0')}`, { reputation: i, connected: i % 2 === 0 }]));
    const big = JSON.stringify({ msg: 'system.network_state', ts: new Date().toISOString(), state: { peerId: bigPeer, peerset: { nodes } } });
    expect(big.length).toBeGreaterThan(200 * 1024);
    const ws = await openSocket(port, '/');
    ws.send(big);
    await closeSocket(ws);
    await eventually(async () => (await get(`/nodes/logs?peer_id=${bigPeer}`)).body.length === 1, 10_000, 'big message stored');
    const [row] = (await get(`/nodes/logs?peer_id=${bigPeer}`)).body as { logs: { state: { peerset: { nodes: object } } } }[];
    expect(Object.keys(row.logs.state.peerset.nodes)).toHaveLength(2500);
  });

  it('400 for a missing peer_id or bad parameters', async () => {
    for (const url of ['/nodes/logs', '/nodes/log_stats', `/nodes/logs?peer_id=${peer}&limit=abc`, `/nodes/logs?peer_id=${peer}&limit=0`, `/nodes/logs?peer_id=${peer}&start_time=yesterday`]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect([url, res.statusCode]).toEqual([url, 400]);
      expect(typeof res.json().message).toBe('string');
    }
    expect((await t.app.inject({ method: 'GET', url: `/nodes/logs?peer_id=${peer}&limit=abc` })).json()).toEqual({ message: 'limit is invalid' });
  });

  it('/stats/db and /metrics are public when PUBLIC_READ_ROUTES reopens them; GET / without upgrade is still HTTP', async () => {
    const db = await get('/stats/db');
    expect(db.status).toBe(200);
    expect(db.body.length).toBeGreaterThan(0);
    expect(db.body.some((r: { relation: string }) => r.relation === 'public.substrate_logs')).toBe(true);
    expect(Object.keys(db.body[0]).sort()).toEqual(['relation', 'size']);
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('substrate_message_count');
    for (const name of ['nodes_connected_count', 'nodes_dropped_count', 'current_substrate_connections', 'substrate_bytes_received', 'bytes_received', 'bytes_sent', 'load_avg_one', 'used_mem', 'telemetry_node_log_buffer_rows']) {
      expect(metrics.body).toMatch(new RegExp(`^${name} \\d`, 'm'));
    }
    expect(metrics.body).toMatch(/^requests [1-9]\d*$/m);
    const root = await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' });
    expect(root.status).toBeLessThan(500);
  });

  it('reputation: latest network_state per reporting peer as parallel arrays', async () => {
    const reporter = `12D3KooWRep${randomBytes(4).toString('hex')}`;
    const ws = await openSocket(port, '/');
    const now = new Date().toISOString();
    ws.send(JSON.stringify({ msg: 'system.network_state', ts: now, state: { peerId: reporter, peerset: { nodes: { [peer]: { reputation: -5, connected: true }, QmOther: { reputation: 7, connected: false } } } } }));
    await closeSocket(ws);
    await eventually(async () => (await get(`/nodes/logs?peer_id=${reporter}`)).body.length === 1, 5000, 'network_state stored');
    const all = await t.app.inject({ method: 'GET', url: '/reputation?max_age_s=600', headers: t.auth });
    const mine = (all.json() as { reporting_peer: string }[]).find((r) => r.reporting_peer === reporter);
    expect(mine).toMatchObject({ remote_peer: [peer, 'QmOther'], reputation: [-5, 7], connected: [true, false] });
    const logged = await t.app.inject({ method: 'GET', url: '/reputation/logged?max_age_s=600', headers: t.auth });
    expect((logged.json() as { reporting_peer: string }[]).find((r) => r.reporting_peer === reporter)).toMatchObject({ remote_peer: [peer], reputation: [-5] });
    const about = await t.app.inject({ method: 'GET', url: `/reputation/${peer}`, headers: t.auth });
    expect(about.json()).toEqual([expect.objectContaining({ reporting_peer: reporter, reputation: -5, connected: true })]);
    const mock = await t.app.inject({ method: 'GET', url: '/reputation/mock/3', headers: t.auth });
    expect(mock.json()).toHaveLength(3);
    expect((await t.app.inject({ method: 'GET', url: '/reputation' })).statusCode).toBe(401);
  });

  it('purge: old non-audit logs by received_at, then closed rows without logs; never open or audit rows (submissions-and-nodes.md §B.7)', async () => {
    const expiring = `12D3KooWExp${randomBytes(4).toString('hex')}`;
    const kept = `12D3KooWKeep${randomBytes(4).toString('hex')}`;
    const stillOpen = `12D3KooWOpen${randomBytes(4).toString('hex')}`;
    const a = await openSocket(port, '/');
    a.send(connectedMessage(expiring, 'old'));
    const b = await openSocket(port, '/audit');
    b.send(connectedMessage(kept, 'kept'));
    const c = await openSocket(port, '/');
    c.send(connectedMessage(stillOpen, 'open'));
    await closeSocket(a);
    await closeSocket(b);
    for (const p of [expiring, kept, stillOpen]) await eventually(async () => (await get(`/nodes/logs?peer_id=${p}`)).body.length === 1, 5000, `${p} stored`);
    // node clock says "now"; only the server clock (received_at) decides: age all three by 4 h (LOG_EXPIRY_H = 3)
    // Re-inserted rather than UPDATEd: substrate_logs is a hypertable on received_at with one-day chunks, and
    // this TimescaleDB refuses an UPDATE that moves a row into another chunk (every run between 00:00 and
    // 04:00 UTC, when "4 hours ago" is yesterday).
    await t.db.transaction(async (tx) => {
      const aged = `SELECT l.id, l.peer_connection_id,
                           CASE WHEN p.peer_id = $2 THEN now() + interval '1 day' ELSE now() END AS created_at,
                           l.received_at - interval '4 hours' AS received_at, l.ts_source, l.telemetry_id, l.logs
                      FROM substrate_logs l JOIN peer_connections p ON p.id = l.peer_connection_id WHERE p.peer_id = ANY($1)`;
      await tx.query(`CREATE TEMP TABLE aged_logs ON COMMIT DROP AS ${aged}`, [[expiring, kept, stillOpen], expiring]);
      await tx.query(`DELETE FROM substrate_logs WHERE (id, received_at) IN (SELECT id, received_at + interval '4 hours' FROM aged_logs)`);
      await tx.query(`INSERT INTO substrate_logs (id, peer_connection_id, created_at, received_at, ts_source, telemetry_id, logs)
                      SELECT id, peer_connection_id, created_at, received_at, ts_source, telemetry_id, logs FROM aged_logs`);
    });
    await t.app.get(NodesModule).purge();
    expect((await get(`/nodes/logs?peer_id=${expiring}`)).body).toEqual([]);
    expect((await get(`/nodes/logs?peer_id=${kept}`)).body).toHaveLength(1);
    const peers = ((await get('/nodes')).body as { peer_id: string }[]).map((n) => n.peer_id);
    expect(peers).not.toContain(expiring); // closed and empty: row deleted
    expect(peers).toContain(kept);
    expect(peers).toContain(stillOpen); // logs purged but the connection is open: row kept
    expect((await get(`/nodes/logs?peer_id=${stillOpen}`)).body).toEqual([]);
    c.send(JSON.stringify({ msg: 'block.import', ts: new Date().toISOString() })); // still insertable (no FK failure)
    await eventually(async () => (await get(`/nodes/logs?peer_id=${stillOpen}`)).body.length === 1, 5000, 'insert after purge');
    await closeSocket(c);
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/^telemetry_node_purged_rows_total [1-9]\d*$/m);
  });

  it('host_systems and benchmarks: POST → id, GET lists, 4096-byte limit', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/host_systems', headers: t.auth, payload: '{"cpu":"x86"}' });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const list = await t.app.inject({ method: 'GET', url: '/host_systems', headers: t.auth });
    expect(list.json()).toEqual([expect.objectContaining({ id, body: { cpu: 'x86' } })]);
    const big = await t.app.inject({ method: 'POST', url: '/benchmarks', headers: t.auth, payload: JSON.stringify({ a: 'x'.repeat(5000) }) });
    expect(big.statusCode).toBe(413);
    expect((await t.app.inject({ method: 'POST', url: '/benchmarks', headers: t.auth, payload: 'nope' })).statusCode).toBe(400);
    const version = await t.app.inject({ method: 'GET', url: '/stats/version', headers: t.auth });
    expect(version.body).toMatch(/^telemetry-platform<br\\>0\.1\.0<br\\>/);
  });
});

describe('graceful stop mid-stream (spec submissions-and-nodes.md §B.6, §B.10 #10)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // nothing flushes on its own: every stored row comes from the shutdown flush
    t = await startTestApp({ DB_SAVE_LATENCY_MS: '600000', DB_BATCH_SIZE: '100000', PUBLIC_READ_ROUTES: 'nodes,stats-db,metrics' });
    await t.app.listen(0, '127.0.0.1');
  });
  afterAll(async () => t?.close());

  it('stores every received frame exactly once', async () => {
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    const ws = await openSocket(port, '/');
    ws.on('error', () => undefined);
    const sent = 3000;
    let i = 0;
    const pump = () => {
      while (i < sent && ws.readyState === WebSocket.OPEN && ws.bufferedAmount < 64 * 1024) {
        ws.send(JSON.stringify({ msg: 'block.import', ts: '2020-02-06T09:59:03.062431862+00:00', seq: i++ }));
      }
      if (i < sent && ws.readyState === WebSocket.OPEN) setImmediate(pump);
    };
    pump();
    const count = async () => Number(/^substrate_message_count (\d+)$/m.exec((await t.app.inject({ method: 'GET', url: '/metrics' })).body)?.[1] ?? 0);
    await eventually(async () => (await count()) >= 500, 10_000, '500 frames received');
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM substrate_logs'))[0].n).toBe(0);

    await t.app.get(NodesModule).beforeApplicationShutdown(); // what app.close() runs before the database closes
    const received = await count();
    const [{ n, distinct }] = await t.db.query<{ n: number; distinct: number }>(`SELECT count(*)::int AS n, count(DISTINCT logs->>'seq')::int AS distinct FROM substrate_logs`);
    expect(received).toBeGreaterThanOrEqual(500);
    expect(n).toBe(received);
    expect(distinct).toBe(received);
    const [{ open: stillOpen }] = await t.db.query<{ open: number }>(`SELECT count(*)::int AS open FROM peer_connections WHERE closed_at IS NULL`);
    expect(stillOpen).toBe(0);
  });
});
