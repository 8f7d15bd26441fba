import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { anonymiseIp, clientAddress } from '../../common/client-address';
import { NodeLogBuffer } from './node-log.buffer';
import { parseNodeFrame } from './node-message';
import { NODES_CONFIG, NodesConfig } from './nodes.config';
import { NodesMetrics } from './nodes.metrics';
import { LogRow, NodesRepository } from './nodes.repository';
import { identifyPeer, PeerIdentity } from './peer-identity';

export const INGEST_ROUTES = { '/': false, '/audit': true } as const;
type Route = keyof typeof INGEST_ROUTES;

const FRAME_HEAD_BYTES = 1024;
/** Per INSERT statement (the embedded server takes statements of any size since its framing fix). */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

type Connection = {
  id: number;
  route: Route;
  socket: WebSocket;
  peerId: string | null;
  /** Identity found but not yet persisted (its update failed): retried before each later message. */
  pendingIdentity: PeerIdentity | null;
  lastSeen: number;
  /** Messages of one connection are handled in order (the identity update is awaited, submissions-and-nodes.md §B.10 #8). */
  chain: Promise<void>;
};

/**
 * Websocket ingest `/` (expiring) and `/audit` (kept), spec submissions-and-nodes.md §B.1. Attached to the HTTP server's
 * `upgrade` event for those two paths only, so `GET /` stays an HTTP route. The peer-connection row is
 * inserted before the handshake completes (failure → HTTP 500, the node retries).
 */
@Injectable()
export class NodeIngestGateway {
  private readonly logger = new Logger('nodes-ingest');
  private readonly connections = new Map<WebSocket, Connection>();
  private wss: WebSocketServer | undefined;
  private server: Server | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private accepting = true;
  readonly buffer: NodeLogBuffer;

  constructor(
    @Inject(NODES_CONFIG) private readonly config: NodesConfig,
    private readonly repository: NodesRepository,
    private readonly metrics: NodesMetrics,
  ) {
    this.buffer = new NodeLogBuffer(
      {
        insert: (rows) => this.repository.insertLogs(rows),
        reject: (row, error) => this.rejectRow(row, error),
        stored: (rows) => this.countStored(rows),
        size: (n) => this.metrics.bufferRows.set(n),
      },
      {
        batchSize: config.dbBatchSize,
        latencyMs: config.dbSaveLatencyMs,
        maxRows: config.bufferMaxRows,
        maxBatchBytes: MAX_BATCH_BYTES,
      },
    );
  }

  openConnectionIds(): number[] {
    return [...this.connections.values()].map((c) => c.id);
  }

  attach(server: Server): void {
    this.server = server;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.config.wsMaxPayload, clientTracking: false });
    server.on('upgrade', this.onUpgrade);
    this.heartbeat = setInterval(() => this.beat(), this.config.heartbeatIntervalS * 1000);
    this.heartbeat.unref();
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (req.url ?? '/').split('?')[0].replace(/(.)\/$/, '$1');
    if (!(path in INGEST_ROUTES)) {
      // another module may own this path; if nobody does, do not leave the socket hanging
      if ((this.server?.listenerCount('upgrade') ?? 0) <= 1) socket.destroy();
      return;
    }
    if (!this.accepting) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    void this.accept(path as Route, req, socket, head);
  };

  private async accept(route: Route, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const forwarded = req.headers['x-forwarded-for'];
    const address = clientAddress(req.socket.remoteAddress, Array.isArray(forwarded) ? forwarded.join(',') : forwarded, this.config.trustedProxies);
    let id: number;
    try {
      id = await this.repository.openConnection(anonymiseIp(address), INGEST_ROUTES[route]);
    } catch (err) {
      this.logger.warn(`peer connection row insert failed: ${(err as Error).message}`);
      socket.end('HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss!.handleUpgrade(req, socket, head, (ws) => this.onOpen(ws, id, route));
  }

  private onOpen(socket: WebSocket, id: number, route: Route): void {
    const connection: Connection = { id, route, socket, peerId: null, pendingIdentity: null, lastSeen: Date.now(), chain: Promise.resolve() };
    this.connections.set(socket, connection);
    this.metrics.connected.inc();
    this.metrics.current.inc();
    const seen = () => (connection.lastSeen = Date.now());
    socket.on('ping', seen);
    socket.on('pong', seen);
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      seen();
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      const receivedAt = new Date().toISOString();
      connection.chain = connection.chain.then(() => this.onFrame(connection, bytes, receivedAt)).catch((err) => this.logger.warn(`frame: ${(err as Error).message}`));
    });
    socket.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        this.metrics.droppedMessages.inc({ reason: 'oversize' });
        void this.recordError(connection.id, 'oversize', `frame over WS_MAX_PAYLOAD (${this.config.wsMaxPayload} bytes)`, null);
      }
    });
    socket.on('close', () => {
      this.connections.delete(socket);
      this.metrics.dropped.inc();
      this.metrics.current.dec();
      // flushed first: a closed row without logs may be purged (submissions-and-nodes.md §B.7), and its buffered rows would then fail
      connection.chain = connection.chain
        .then(() => (connection.pendingIdentity ? this.persistIdentity(connection) : undefined))
        .then(() => this.buffer.flush())
        .then(() => this.repository.closeConnection(id))
        .catch(() => undefined);
    });
  }

  private async onFrame(connection: Connection, bytes: Buffer, receivedAt: string): Promise<void> {
    this.metrics.bytes.inc(bytes.length);
    const parsed = parseNodeFrame(bytes.toString('utf8'), receivedAt);
    if (!parsed.ok) {
      this.metrics.droppedMessages.inc({ reason: parsed.reason });
      await this.recordError(connection.id, parsed.reason, null, bytes.subarray(0, FRAME_HEAD_BYTES).toString('utf8'));
      return;
    }
    this.metrics.messages.inc();
    const message = parsed.message;
    if (message.timestampProblem) this.metrics.droppedMessages.inc({ reason: message.timestampProblem });
    if (connection.peerId === null) {
      connection.pendingIdentity ??= identifyPeer(message.logs);
      if (connection.pendingIdentity) await this.persistIdentity(connection);
    }
    const logs = JSON.stringify(message.logs);
    this.buffer.push({
      peerConnectionId: connection.id,
      createdAt: message.createdAt,
      receivedAt,
      tsSource: message.tsSource,
      telemetryId: message.telemetryId,
      logs,
      route: connection.route,
    });
    if (this.buffer.full) await this.backpressure();
  }

  /**
   * Durable before it is marked known (submissions-and-nodes.md §B.10 #8). A failed update (e.g. no pool connection in time under
   * load) is retried with backoff, then kept pending and retried before the next message — the message
   * itself is stored either way, never lost with the update.
   */
  private async persistIdentity(connection: Connection): Promise<void> {
    const identity = connection.pendingIdentity!;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.repository.identify(connection.id, identity);
        connection.peerId = identity.peerId;
        connection.pendingIdentity = null;
        return;
      } catch (err) {
        this.logger.warn(`peer identity update failed (attempt ${attempt + 1}): ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
  }

  /** Stop reading every node socket until the buffer has room (submissions-and-nodes.md §B.6) instead of dropping. */
  private async backpressure(): Promise<void> {
    const sockets = [...this.connections.keys()];
    for (const s of sockets) s.pause();
    await this.buffer.onDrain();
    for (const s of sockets) if (s.readyState === WebSocket.OPEN) s.resume();
  }

  private beat(): void {
    const limit = Date.now() - this.config.clientTimeoutS * 1000;
    for (const c of this.connections.values()) {
      if (c.lastSeen < limit) c.socket.terminate();
      else if (c.socket.readyState === WebSocket.OPEN) c.socket.ping();
    }
  }

  private countStored(rows: readonly LogRow[]): void {
    let audit = 0;
    for (const r of rows) if (r.route === '/audit') audit++;
    if (rows.length - audit) this.metrics.stored.inc({ route: '/' }, rows.length - audit);
    if (audit) this.metrics.stored.inc({ route: '/audit' }, audit);
  }

  private async rejectRow(row: LogRow, error: Error): Promise<void> {
    this.metrics.droppedMessages.inc({ reason: 'insert_failed' });
    await this.repository.recordError({ receivedAt: row.receivedAt, peerConnectionId: row.peerConnectionId, reason: 'insert_failed', detail: error.message, frameHead: row.logs.slice(0, FRAME_HEAD_BYTES) });
  }

  private async recordError(peerConnectionId: number, reason: string, detail: string | null, frameHead: string | null): Promise<void> {
    try {
      await this.repository.recordError({ receivedAt: new Date().toISOString(), peerConnectionId, reason, detail, frameHead: frameHead?.replaceAll('\u0000', '\uFFFD') ?? null });
    } catch (err) {
      this.logger.warn(`could not record a node frame error: ${(err as Error).message}`);
    }
  }

  /**
   * Graceful stop (submissions-and-nodes.md §B.10 #10): refuse new upgrades, close every node socket (1001 going away), wait for
   * the frames already received to be handled, flush the buffer, mark the rows closed.
   */
  async stop(): Promise<void> {
    this.accepting = false;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.server?.off('upgrade', this.onUpgrade);
    const open = [...this.connections.values()];
    await Promise.all(
      open.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.socket.readyState === WebSocket.CLOSED) return resolve();
            const timer = setTimeout(() => {
              c.socket.terminate();
              resolve();
            }, 2000);
            c.socket.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            c.socket.close(1001, 'server shutting down');
          }),
      ),
    );
    await Promise.all(open.map((c) => c.chain));
    await this.buffer.flush();
    this.wss?.close();
  }
}
