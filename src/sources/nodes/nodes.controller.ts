import { Controller, Get, Header, Param, Post, Query as QueryParams, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PayloadTooLarge } from '../../common/errors';
import { jsonObjectBody } from '../../common/http-input';
import { PROJECT_ROOT } from '../../common/paths';
import { naiveUtc, optionalString, optionalTime, positiveInt, Query, requiredString } from './node-query-params';
import { NodesRepository } from './nodes.repository';
import { mockReputation, reputationReport } from './reputation';
import { PublicReadRoute, RequiresRole } from '../../auth/roles';

/** Every GET path here, for the trailing-slash aliases (upstream normalises paths, submissions-and-nodes.md §B.8). */
export const NODE_GET_PATHS = ['/nodes', '/nodes/log_stats', '/nodes/logs', '/reputation', '/reputation/logged', '/reputation/mock/:qty', '/reputation/:peerId', '/stats/db', '/stats/version', '/host_systems', '/benchmarks'];

const JSON_BODY_LIMIT = 4096; // upstream's hard-coded limit for /benchmarks and /host_systems

/**
 * Node telemetry JSON endpoints (spec submissions-and-nodes.md §B.8); the trailing-slash variants are added by NodesModule.
 * Upstream had no auth at all, and the spec's acceptance check (submissions-and-nodes.md §B.11) calls `/nodes`,
 * `/nodes/logs`, `/nodes/log_stats` and `/stats/db` without credentials; but they show peers' addresses and every
 * table, so they need a viewer unless PUBLIC_READ_ROUTES names `nodes` / `stats-db` (README "Security model").
 */
@ApiTags('nodes')
@RequiresRole('viewer')
@Controller()
export class NodesController {
  constructor(private readonly repository: NodesRepository) {}

  @PublicReadRoute('nodes')
  @Get('nodes')
  @ApiOkResponse({ description: 'one peer-connection row per distinct peer_id (latest), ordered by peer_id' })
  nodes() {
    return this.repository.nodes();
  }

  @PublicReadRoute('nodes')
  @Get('nodes/log_stats')
  @ApiOkResponse({ description: '[{qty, log_type}] for peer_id (required)' })
  logStats(@QueryParams() q: Query) {
    return this.repository.logStats(requiredString(q, 'peer_id'));
  }

  @PublicReadRoute('nodes')
  @Get('nodes/logs')
  @ApiOkResponse({ description: '[{ip_addr, peer_id, msg, created_at, logs}] newest first' })
  logs(@QueryParams() q: Query) {
    return this.repository.logs({
      peerId: requiredString(q, 'peer_id'),
      msg: optionalString(q, 'msg'),
      target: optionalString(q, 'target'),
      startTime: optionalTime(q, 'start_time') ?? '1970-01-01T00:00:00Z',
      endTime: optionalTime(q, 'end_time'),
      limit: positiveInt(q, 'limit', 10_000, 10_000),
    });
  }

  @ApiBearerAuth()
  @Get('reputation')
  async reputation(@QueryParams() q: Query) {
    const rows = await this.repository.latestNetworkStates(positiveInt(q, 'max_age_s', 60, 1_000_000_000), positiveInt(q, 'limit', 100, 100_000));
    return rows.map((r) => reputationReport(r.reporting_peer, r.ts, r.nodes));
  }

  @ApiBearerAuth()
  @Get('reputation/logged')
  async reputationLogged(@QueryParams() q: Query) {
    const rows = await this.repository.latestNetworkStates(positiveInt(q, 'max_age_s', 60, 1_000_000_000), positiveInt(q, 'limit', 100, 100_000));
    const known = await this.repository.knownPeers();
    return rows.map((r) => reputationReport(r.reporting_peer, r.ts, r.nodes, known));
  }

  @ApiBearerAuth()
  @Get('reputation/mock/:qty')
  reputationMock(@Param('qty') qty: string) {
    return mockReputation(/^\d+$/.test(qty) ? Number(qty) : undefined, naiveUtc(new Date()));
  }

  @ApiBearerAuth()
  @Get('reputation/:peerId')
  async reputationOf(@Param('peerId') peerId: string, @QueryParams() q: Query) {
    const rows = await this.repository.reputationOf(
      peerId,
      optionalTime(q, 'start_time') ?? '1970-01-01T00:00:00Z',
      optionalTime(q, 'end_time') ?? new Date().toISOString(),
      positiveInt(q, 'limit', 1000, 100_000),
    );
    return rows.map((r) => {
      const node = (r.node ?? {}) as { reputation?: unknown; connected?: unknown };
      return { reporting_peer: r.reporting_peer, reputation: Number(node.reputation ?? 0), connected: node.connected === true, ts: r.ts };
    });
  }

  @PublicReadRoute('stats-db')
  @Get('stats/db')
  @ApiOkResponse({ description: '[{relation, size}] largest first' })
  dbStats() {
    return this.repository.dbSizes();
  }

  @ApiBearerAuth()
  @Get('stats/version')
  @Header('content-type', 'text/html; charset=utf-8')
  version(): string {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string; version: string; description: string };
    return `${pkg.name}<br\\>${pkg.version}<br\\>${pkg.description}`; // QUIRK kept: the odd <br\>
  }

  @ApiBearerAuth()
  @Get('host_systems')
  hostSystems() {
    return this.repository.listRecords('host_systems');
  }

  @ApiBearerAuth()
  @RequiresRole('admin')
  @Post('host_systems')
  async createHostSystem(@Req() req: FastifyRequest) {
    return { id: await this.repository.createRecord('host_systems', jsonBody(req)) };
  }

  @ApiBearerAuth()
  @Get('benchmarks')
  benchmarks() {
    return this.repository.listRecords('benchmarks');
  }

  @ApiBearerAuth()
  @RequiresRole('admin')
  @Post('benchmarks')
  async createBenchmark(@Req() req: FastifyRequest) {
    return { id: await this.repository.createRecord('benchmarks', jsonBody(req)) };
  }
}

function jsonBody(req: FastifyRequest): string {
  if (Buffer.isBuffer(req.body) && req.body.length > JSON_BODY_LIMIT) throw new PayloadTooLarge(`JSON body over ${JSON_BODY_LIMIT} bytes`);
  return JSON.stringify(jsonObjectBody(req));
}
