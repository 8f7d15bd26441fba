import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../console/render';
import { ProjectorRuntime } from '../event-log/projector-runtime';
import { NodesRepository } from '../sources/nodes/nodes.repository';
import { SubmissionsRepository } from '../sources/submissions/documents/submissions.repository';
import { DropAccounting, dropAccounting } from './drop-accounting';
import { RequiresRole } from '../auth/roles';

/**
 * Every submission that did not become a document (rejected at receive, deduplicated, errored) and every
 * node frame that was not stored, by reason — from the stored error records, so the numbers survive restarts.
 */
@ApiTags('drops')
@ApiBearerAuth()
@RequiresRole('viewer')
@Controller()
export class DropAccountingController {
  constructor(
    private readonly submissions: SubmissionsRepository,
    private readonly nodes: NodesRepository,
    private readonly runtime: ProjectorRuntime,
  ) {}

  @Get('api/drops')
  @ApiOkResponse({ description: '{"submissions": {received, accepted, dropped, byCategory, lines}, "nodes": {stored, storedWithServerTimestamp, dropped, lines}, "totalDropped", "notProjected": {total, byProjector}}' })
  accounting(): Promise<DropAccounting> {
    return this.load();
  }

  @ApiExcludeEndpoint()
  @Get('console/drops')
  async page(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return renderPage(request, reply, { page: 'pages/drops/drops.hbs', title: 'Drop accounting' }, { nav: 'drops', drops: await this.load() });
  }

  private async load(): Promise<DropAccounting> {
    const quarantined = new Map((await this.runtime.status()).filter((p) => p.quarantined > 0).map((p) => [p.name, p.quarantined]));
    return dropAccounting(await this.submissions.drops(), await this.nodes.drops(), quarantined);
  }
}
