import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database';
import { PeerIdentity } from './peer-identity';

export type LogRow = Readonly<{
  peerConnectionId: number;
  createdAt: string;
  receivedAt: string;
  tsSource: 'node' | 'server';
  telemetryId: number | null;
  /** JSON text of the normalised message (no U+0000). */
  logs: string;
  /** Ingest route, for the stored-messages metric only. */
  route?: '/' | '/audit';
}>;

/** Naive UTC with microseconds, as upstream serialises timestamps (spec submissions-and-nodes.md §B.8). */
const NAIVE = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

const INSERT_CONNECTION_SQL = `INSERT INTO peer_connections (ip_addr, audit) VALUES ($1, $2) RETURNING id`;
const CLOSE_CONNECTION_SQL = `UPDATE peer_connections SET closed_at = now() WHERE id = $1 AND closed_at IS NULL`;
/** Rows left open by a previous process are not open any more (they become purgeable). */
const CLOSE_STALE_SQL = `UPDATE peer_connections SET closed_at = now() WHERE closed_at IS NULL`;
const IDENTIFY_SQL = `
  UPDATE peer_connections
  SET peer_id = $2, name = $3, chain = $4, version = $5, authority = $6, startup_time = $7, implementation = $8
  WHERE id = $1`;
const INSERT_LOGS_SQL = `
  INSERT INTO substrate_logs (peer_connection_id, created_at, received_at, ts_source, telemetry_id, logs)
  SELECT * FROM unnest($1::int[], $2::timestamptz[], $3::timestamptz[], $4::text[], $5::bigint[], $6::jsonb[])`;
const INSERT_ERROR_SQL = `
  INSERT INTO node_message_errors (received_at, peer_connection_id, reason, detail, frame_head) VALUES ($1, $2, $3, $4, $5)`;

/** submissions-and-nodes.md §B.7: age on the server clock, audit rows kept; then closed connections without logs. */
const PURGE_LOGS_SQL = `
  DELETE FROM substrate_logs l USING peer_connections p
  WHERE l.peer_connection_id = p.id AND p.audit = false AND l.received_at < now() - make_interval(hours => $1)`;
const PURGE_CONNECTIONS_SQL = `
  DELETE FROM peer_connections p
  WHERE p.closed_at IS NOT NULL AND NOT (p.id = ANY($1::int[]))
    AND NOT EXISTS (SELECT 1 FROM substrate_logs l WHERE l.peer_connection_id = p.id)`;

const NODES_SQL = `
  SELECT DISTINCT ON (peer_id) id, ip_addr, peer_id, ${NAIVE('created_at')} AS created_at, audit, name, chain, version,
         authority, startup_time::text AS startup_time, implementation
  FROM peer_connections
  ORDER BY peer_id, created_at DESC, id DESC`;

const LOG_STATS_SQL = `
  SELECT count(*)::int AS qty, l.logs ->> 'msg' AS log_type
  FROM substrate_logs l JOIN peer_connections p ON p.id = l.peer_connection_id
  WHERE p.peer_id = $1
  GROUP BY 2 ORDER BY 2`;

const LOGS_SQL = `
  SELECT p.ip_addr, p.peer_id, l.logs ->> 'msg' AS msg, ${NAIVE('l.created_at')} AS created_at, l.logs
  FROM substrate_logs l JOIN peer_connections p ON p.id = l.peer_connection_id
  WHERE p.peer_id = $1
    AND ($2::text IS NULL OR l.logs ->> 'msg' = $2)
    AND ($3::text IS NULL OR l.logs ->> 'target' = $3)
    AND l.created_at > $4::timestamptz
    AND ($5::timestamptz IS NULL OR l.created_at < $5::timestamptz)
  ORDER BY l.created_at DESC, l.id DESC
  LIMIT $6`;

const LATEST_NETWORK_STATE_SQL = `
  SELECT DISTINCT ON (p.peer_id) p.peer_id AS reporting_peer, ${NAIVE('l.created_at')} AS ts,
         l.logs -> 'state' -> 'peerset' -> 'nodes' AS nodes
  FROM substrate_logs l JOIN peer_connections p ON p.id = l.peer_connection_id
  WHERE l.logs ->> 'msg' = 'system.network_state' AND p.peer_id IS NOT NULL
    AND l.created_at > now() - make_interval(secs => $1)
  ORDER BY p.peer_id, l.created_at DESC
  LIMIT $2`;

const KNOWN_PEERS_SQL = `SELECT DISTINCT peer_id FROM peer_connections WHERE peer_id IS NOT NULL`;

const REPUTATION_OF_SQL = `
  SELECT p.peer_id AS reporting_peer, ${NAIVE('l.created_at')} AS ts,
         l.logs -> 'state' -> 'peerset' -> 'nodes' -> $1 AS node
  FROM substrate_logs l JOIN peer_connections p ON p.id = l.peer_connection_id
  WHERE l.logs ->> 'msg' = 'system.network_state'
    AND (l.logs -> 'state' -> 'peerset' -> 'nodes') ? $1
    AND p.peer_id IS DISTINCT FROM $1
    AND l.created_at > $2::timestamptz AND l.created_at < $3::timestamptz
  ORDER BY l.created_at DESC
  LIMIT $4`;

const DB_SIZES_SQL = `
  SELECT n.nspname || '.' || c.relname AS relation, pg_size_pretty(pg_total_relation_size(c.oid)) AS size
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
    AND n.nspname NOT LIKE '_timescaledb%' AND n.nspname <> 'timescaledb_information' AND n.nspname <> 'timescaledb_experimental'
    AND c.relkind IN ('r', 'i', 'p', 'm')
  ORDER BY pg_total_relation_size(c.oid) DESC
  LIMIT 1000`;

/** Node frames not stored, by reason (error table), and messages stored with a server timestamp. */
const DROPS_SQL = `SELECT reason, count(*)::int AS n FROM node_message_errors GROUP BY reason ORDER BY reason`;
const STORED_SQL = `
  SELECT count(*)::int AS stored, (count(*) FILTER (WHERE ts_source = 'server'))::int AS server_timestamp FROM substrate_logs`;
const CONNECTIONS_SQL = `
  SELECT p.id, p.ip_addr, p.peer_id, p.name, p.chain, p.version, p.audit, ${NAIVE('p.created_at')} AS created_at,
         (SELECT count(*)::int FROM substrate_logs l WHERE l.peer_connection_id = p.id) AS messages
  FROM peer_connections p WHERE p.closed_at IS NULL ORDER BY p.id LIMIT $1`;

@Injectable()
export class NodesRepository {
  constructor(private readonly db: Database) {}

  async openConnection(ipAddr: string | null, audit: boolean): Promise<number> {
    const [row] = await this.db.query<{ id: number }>(INSERT_CONNECTION_SQL, [ipAddr, audit]);
    return row.id;
  }

  async closeConnection(id: number): Promise<void> {
    await this.db.query(CLOSE_CONNECTION_SQL, [id]);
  }

  async closeStaleConnections(): Promise<void> {
    await this.db.query(CLOSE_STALE_SQL);
  }

  async identify(id: number, p: PeerIdentity): Promise<void> {
    await this.db.query(IDENTIFY_SQL, [id, p.peerId, p.name ?? null, p.chain ?? null, p.version ?? null, p.authority ?? null, p.startupTime ?? null, p.implementation ?? null]);
  }

  async insertLogs(rows: readonly LogRow[]): Promise<void> {
    await this.db.query(INSERT_LOGS_SQL, [
      rows.map((r) => r.peerConnectionId),
      rows.map((r) => r.createdAt),
      rows.map((r) => r.receivedAt),
      rows.map((r) => r.tsSource),
      rows.map((r) => r.telemetryId),
      rows.map((r) => r.logs),
    ]);
  }

  async recordError(e: { receivedAt: string; peerConnectionId: number | null; reason: string; detail: string | null; frameHead: string | null }): Promise<void> {
    await this.db.query(INSERT_ERROR_SQL, [e.receivedAt, e.peerConnectionId, e.reason, e.detail, e.frameHead]);
  }

  async purge(logExpiryH: number, openConnectionIds: readonly number[]): Promise<number> {
    const logs = await this.db.query<{ n: number }>(`WITH d AS (${PURGE_LOGS_SQL} RETURNING 1) SELECT count(*)::int AS n FROM d`, [logExpiryH]);
    const conns = await this.db.query<{ n: number }>(`WITH d AS (${PURGE_CONNECTIONS_SQL} RETURNING 1) SELECT count(*)::int AS n FROM d`, [[...openConnectionIds]]);
    return logs[0].n + conns[0].n;
  }

  async nodes(): Promise<Record<string, unknown>[]> {
    const rows = await this.db.query<Record<string, unknown>>(NODES_SQL);
    return rows.map((r) => ({ ...r, startup_time: r.startup_time === null ? null : Number(r.startup_time) }));
  }

  logStats(peerId: string): Promise<{ qty: number; log_type: string }[]> {
    return this.db.query(LOG_STATS_SQL, [peerId]);
  }

  logs(q: { peerId: string; msg?: string; target?: string; startTime: string; endTime?: string; limit: number }): Promise<Record<string, unknown>[]> {
    return this.db.query(LOGS_SQL, [q.peerId, q.msg ?? null, q.target ?? null, q.startTime, q.endTime ?? null, q.limit]);
  }

  latestNetworkStates(maxAgeS: number, limit: number): Promise<{ reporting_peer: string; ts: string; nodes: unknown }[]> {
    return this.db.query(LATEST_NETWORK_STATE_SQL, [maxAgeS, limit]);
  }

  async knownPeers(): Promise<Set<string>> {
    return new Set((await this.db.query<{ peer_id: string }>(KNOWN_PEERS_SQL)).map((r) => r.peer_id));
  }

  reputationOf(peerId: string, startTime: string, endTime: string, limit: number): Promise<{ reporting_peer: string; ts: string; node: unknown }[]> {
    return this.db.query(REPUTATION_OF_SQL, [peerId, startTime, endTime, limit]);
  }

  dbSizes(): Promise<{ relation: string; size: string }[]> {
    return this.db.query(DB_SIZES_SQL);
  }

  async drops(): Promise<{ stored: number; serverTimestamp: number; rows: { reason: string; n: number }[] }> {
    const [totals] = await this.db.query<{ stored: number; server_timestamp: number }>(STORED_SQL);
    return { stored: totals.stored, serverTimestamp: totals.server_timestamp, rows: await this.db.query(DROPS_SQL) };
  }

  openConnections(limit: number): Promise<Record<string, unknown>[]> {
    return this.db.query(CONNECTIONS_SQL, [limit]);
  }

  async createRecord(table: 'host_systems' | 'benchmarks', body: string): Promise<number> {
    const [row] = await this.db.query<{ id: number }>(`INSERT INTO ${table} (body) VALUES ($1::jsonb) RETURNING id`, [body]);
    return row.id;
  }

  listRecords(table: 'host_systems' | 'benchmarks'): Promise<Record<string, unknown>[]> {
    return this.db.query(`SELECT id, ${NAIVE('created_at')} AS created_at, body FROM ${table} ORDER BY id`);
  }
}
