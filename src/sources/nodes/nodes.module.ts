import { BeforeApplicationShutdown, Inject, Logger, Module, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { NodeIngestGateway } from './node-ingest.gateway';
import { NODES_CONFIG, NodesConfig, loadNodesConfig } from './nodes.config';
import { NodesConsoleController } from './nodes-console.controller';
import { NODE_GET_PATHS, NodesController } from './nodes.controller';
import { NodesMetrics } from './nodes.metrics';
import { NodesRepository } from './nodes.repository';
import type { Env } from '../../config/env-readers';
import { ENVIRONMENT } from '../../config/tokens';
import { Leases } from '../../coordination/leases';

/**
 * Node telemetry (spec part B): websocket ingest on `/` and `/audit`, batched direct writes, purge, JSON
 * endpoints. Node messages bypass the event log on purpose (README "Node telemetry"): a websocket has no
 * per-message acknowledgement, and submissions-and-nodes.md §B.6 defines durability as stored-or-counted plus a flush on shutdown.
 */
@Module({
  controllers: [NodesController, NodesConsoleController],
  providers: [{ provide: NODES_CONFIG, inject: [ENVIRONMENT], useFactory: (env: Env) => loadNodesConfig(env) }, NodesRepository, NodesMetrics, NodeIngestGateway],
  exports: [NodesRepository],
})
export class NodesModule implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('nodes');
  private purgeTimer: NodeJS.Timeout | undefined;
  private hostTimer: NodeJS.Timeout | undefined;
  private purging: Promise<void> = Promise.resolve();

  constructor(
    @Inject(NODES_CONFIG) private readonly config: NodesConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly gateway: NodeIngestGateway,
    private readonly repository: NodesRepository,
    private readonly metrics: NodesMetrics,
    private readonly leases: Leases,
  ) {}

  /**
   * `/nodes/` answers like `/nodes` (spec submissions-and-nodes.md §B.8). Nest strips trailing slashes from route paths, so each
   * alias forwards internally to the real route (same guard, same answer).
   */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', async (req) => {
      if (req.method === 'GET' && !req.url.startsWith('/metrics')) this.metrics.requests.inc();
    });
    for (const path of NODE_GET_PATHS) {
      fastify.get(`${path}/`, async (req, reply) => {
        const q = req.url.indexOf('?');
        const url = `${req.url.slice(0, q < 0 ? undefined : q).replace(/\/+$/, '')}${q < 0 ? '' : req.url.slice(q)}`;
        const res = await fastify.inject({ method: 'GET', url, headers: req.headers });
        const headers = { ...res.headers };
        delete headers['transfer-encoding'];
        return reply.code(res.statusCode).headers(headers).send(res.rawPayload);
      });
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.repository.closeStaleConnections();
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.gateway.attach(server);
    this.leases.runWhileHeld('job:nodes-purge', () => {
      this.purgeTimer = setInterval(() => (this.purging = this.purge()), this.config.purgeIntervalS * 1000);
      this.purgeTimer.unref();
      return () => clearInterval(this.purgeTimer);
    });
    this.metrics.sampleHost();
    this.hostTimer = setInterval(() => this.metrics.sampleHost(), 5000);
    this.hostTimer.unref();
  }

  async purge(): Promise<void> {
    try {
      const n = await this.repository.purge(this.config.logExpiryH, this.gateway.openConnectionIds());
      this.metrics.purged.inc(n);
    } catch (err) {
      this.logger.warn(`purge failed: ${(err as Error).message}`);
    }
  }

  /** Before the database closes: stop ingest and flush every buffered message (submissions-and-nodes.md §B.10 #10). */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    if (this.hostTimer) clearInterval(this.hostTimer);
    await this.purging;
    await this.gateway.stop();
  }
}
