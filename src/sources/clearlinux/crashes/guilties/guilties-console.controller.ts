import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFound } from '../../../../common/errors';
import { renderPage } from '../../../../console/render';
import { AnnotateGuilty } from './annotate-guilty.command';
import { CRASHES_CONSOLE_PATH, guiltyUrl, qs, redirect } from '../crashes-console.controller';
import { parseCrashListFilter } from '../crashes.query';
import { CRASH_LIST_LIMIT, CrashesQueryService } from '../crashes.query-service';
import { isGuiltyId, MAX_GUILTY_COMMENT, parseGuiltyChange } from '../guilty';
import { formBody, queryOf } from '../../../../common/http-input';
import { RequiresRole } from '../../../../auth/roles';

/** Guilty detail and backtraces (spec clearlinux.md §8.4), with the admin's hide / unhide / comment (clearlinux.md §7.5). */
@ApiExcludeController()
@RequiresRole('viewer')
@Controller('console/clearlinux/guilties')
export class GuiltiesConsoleController {
  constructor(
    private readonly query: CrashesQueryService,
    private readonly commands: CommandBus,
  ) {}

  @Get(':id')
  async detail(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const detail = isGuiltyId(id) ? await this.query.guilty(id) : undefined;
    if (!detail) throw new NotFound(`guilty ${id} not found`, 'not_found');
    const backtraces = (params: Record<string, string>) => `${guiltyUrl(id)}/crashes${qs(params)}`;
    return renderPage(request, reply, { page: 'pages/clearlinux/guilty.hbs', title: `Guilty ${detail.guilty.label}` }, {
      nav: 'clearlinux-crashes',
      ...detail,
      maxComment: MAX_GUILTY_COMMENT,
      saved: queryOf(request.url).get('saved') === '1',
      backtracesUrl: backtraces({}),
      machines: detail.machines.map((m) => ({ ...m, url: backtraces({ build: m.build, machine_id: m.machine_id }) })),
      apiUrl: `/api/clearlinux/guilties/${id}`,
    });
  }

  @Get(':id/crashes')
  async backtraces(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const filter = parseCrashListFilter(queryOf(request.url));
    const guilty = isGuiltyId(id) ? await this.query.findGuilty(id) : undefined;
    if (!guilty) throw new NotFound(`guilty ${id} not found`, 'not_found');
    const { total, crashes } = await this.query.byGuilty(guilty, filter);
    return renderPage(request, reply, { page: 'pages/clearlinux/crash-list.hbs', title: `Crashes in ${guilty.function}` }, {
      nav: 'clearlinux-crashes',
      guilty,
      allTime: true,
      values: filter.values,
      total,
      shown: crashes.length,
      limit: CRASH_LIST_LIMIT,
      backUrl: guiltyUrl(id),
      apiUrl: `/api/clearlinux/guilties/${id}/crashes${qs(filter.values)}`,
      crashes: crashes.map((c) => ({
        ...c,
        url: `${CRASHES_CONSOLE_PATH}/${c.record_id}`,
        frames: c.frames.map((fr) => ({ ...fr, guilty: fr.function === guilty.function && fr.module === guilty.module })),
      })),
    });
  }

  /** Form fields `hidden` (`true` / `false`) and/or `comment`; back to the detail page. */
  @RequiresRole('analyst')
  @Post(':id')
  async annotate(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const form = formBody(request);
    const body: Record<string, unknown> = {};
    if (form.has('hidden')) body.hidden = form.get('hidden') === 'true';
    if (form.has('comment')) body.comment = form.get('comment');
    await this.commands.execute(new AnnotateGuilty(id, parseGuiltyChange(body), new Date().toISOString()));
    return redirect(reply, guiltyUrl(id), [['saved', '1']]);
  }
}
