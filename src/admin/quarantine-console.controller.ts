import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../console/render';
import { ProjectorRuntime } from '../event-log/projector-runtime';

const QUARANTINE_PATH = '/console/admin/quarantine';

/**
 * Events a projector could not apply (projector_quarantine), for the admin to look at and retry once the
 * cause is fixed; the same as `GET /api/admin/projectors/quarantine` and its retry route.
 */
@ApiExcludeController()
@Controller('console/admin/quarantine')
export class QuarantineConsoleController {
  constructor(private readonly runtime: ProjectorRuntime) {}

  @Get()
  async page(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query('retried') retried?: string, @Query('outcome') outcome?: string) {
    return renderPage(request, reply, { page: 'pages/admin/quarantine.hbs', title: 'Quarantine' }, {
      nav: 'quarantine',
      events: await this.runtime.quarantined(),
      retried: retried && { eventId: retried, applied: outcome === 'applied' },
    });
  }

  @Post(':name/:eventId/retry')
  async retry(@Param('name') name: string, @Param('eventId') eventId: string, @Res() reply: FastifyReply) {
    const { applied } = await this.runtime.retryQuarantined(name, eventId);
    const query = new URLSearchParams({ retried: eventId, outcome: applied ? 'applied' : 'still-failing' });
    return reply.status(303).header('location', `${QUARANTINE_PATH}?${query}`).send();
  }
}
