import { Body, Controller, Get, Param, Patch, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { NotFound } from '../../../../common/errors';
import { AnnotateGuilty } from './annotate-guilty.command';
import { parseCrashListFilter } from '../crashes.query';
import { CrashesQueryService } from '../crashes.query-service';
import { isGuiltyId, MAX_GUILTY_COMMENT, parseGuiltyChange } from '../guilty';
import { jsonObjectBody, queryOf } from '../../../../common/http-input';
import { RequiresRole } from '../../../../auth/roles';

/** Guilties (spec clearlinux.md §7.5, §8.4): detail, backtraces, and the admin's hide / unhide / comment. */
@ApiTags('clearlinux crashes')
@ApiBearerAuth()
@RequiresRole('viewer')
@Controller('api/clearlinux/guilties')
export class GuiltiesApiController {
  constructor(
    private readonly query: CrashesQueryService,
    private readonly commands: CommandBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Guilties that were hidden or commented (hidden ones first); hidden guilties stay reachable from here' })
  async annotated() {
    return { guilties: await this.query.annotated() };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One guilty: hidden flag, comment, and crashes per (build, machine id) — clear-linux-os, builds of ≥ 2 digits, all time' })
  @ApiNotFoundResponse({ description: 'no guilty with this id' })
  async detail(@Param('id') id: string) {
    const detail = isGuiltyId(id) ? await this.query.guilty(id) : undefined;
    if (!detail) throw new NotFound(`guilty ${id} not found`, 'not_found');
    return detail;
  }

  @Get(':id/crashes')
  @ApiOperation({ summary: "A guilty's backtraces, newest first (at most 50), all time, optionally of one build and/or machine" })
  @ApiQuery({ name: 'build', required: false })
  @ApiQuery({ name: 'machine_id', required: false })
  @ApiNotFoundResponse({ description: 'no guilty with this id' })
  async crashes(@Param('id') id: string, @Req() req: FastifyRequest) {
    const filter = parseCrashListFilter(queryOf(req.url));
    const guilty = isGuiltyId(id) ? await this.query.findGuilty(id) : undefined;
    if (!guilty) throw new NotFound(`guilty ${id} not found`, 'not_found');
    return { guilty, build: filter.build, machine_id: filter.machineId, ...(await this.query.byGuilty(guilty, filter)) };
  }

  @RequiresRole('analyst')

  @Patch(':id')
  @ApiOperation({ summary: 'Hide / unhide a guilty and/or set its comment (events on the log; hidden guilties leave the top lists)' })
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        hidden: { type: 'boolean' },
        comment: { type: 'string', nullable: true, maxLength: MAX_GUILTY_COMMENT, description: 'null or blank clears it' },
      },
      example: { hidden: true, comment: 'fixed in 31890' },
    },
  })
  @ApiOkResponse({ description: '`{changed, guilty}`; changed=false when it already was as asked' })
  @ApiBadRequestResponse({ description: '{"message": "comment must be at most 80 characters"}' })
  @ApiNotFoundResponse({ description: 'no guilty with this id' })
  annotate(@Param('id') id: string, @Body() body: unknown) {
    return this.commands.execute(new AnnotateGuilty(id, parseGuiltyChange(jsonObjectBody({ body })), new Date().toISOString()));
  }
}
