import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../../console/render';
import { NodesRepository } from './nodes.repository';
import { reputationReport } from './reputation';
import { RequiresRole } from '../../auth/roles';

/** Nodes console page: open node connections, every known node, latest reputation reports (last hour). */
@ApiExcludeController()
@RequiresRole('viewer')
@Controller('console/nodes')
export class NodesConsoleController {
  constructor(private readonly repository: NodesRepository) {}

  @Get()
  async page(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const reports = (await this.repository.latestNetworkStates(3600, 50)).map((r) => reputationReport(r.reporting_peer, r.ts, r.nodes));
    return renderPage(request, reply, { page: 'pages/nodes/nodes.hbs', title: 'Nodes' }, {
      nav: 'nodes',
      open: await this.repository.openConnections(500),
      nodes: (await this.repository.nodes()).filter((n) => n.peer_id !== null),
      reputation: reports.map((r) => ({
        reporting_peer: r.reporting_peer,
        ts: r.ts,
        peers: r.remote_peer.map((peer, i) => ({ peer, reputation: r.reputation[i], connected: r.connected[i] })),
      })),
    });
  }
}
