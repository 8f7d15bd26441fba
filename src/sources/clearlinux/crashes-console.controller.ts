import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFound } from '../../common/errors';
import { renderPage, scriptJson } from '../../console/render';
import { parseCrashFilter, parseGuiltyParam } from './crashes.query';
import { CRASH_LIST_LIMIT, CrashesQueryService } from './crashes.query-service';
import { EditNeverGuilty, SetNeverGuiltyFromCrash } from './edit-never-guilty.command';
import { checkedFrames, formBody } from './edit-request';
import { offeredFrames } from './backtrace';
import { parseFramePair } from './never-guilty.edit';
import { NeverGuiltyRepository } from './never-guilty.repository';
import { RegroupService, RegroupStatus } from './regroup.service';
import { queryOf } from './records-api.query';

export const CRASHES_CONSOLE_PATH = '/console/clearlinux/crashes';
export const NEVER_GUILTY_CONSOLE_PATH = '/console/clearlinux/never-guilty';

/** Crashes view (spec §8.4), crash lists and detail, and the never-guilty editor (§7.5). */
@ApiExcludeController()
@Controller('console/clearlinux')
export class CrashesConsoleController {
  constructor(
    private readonly query: CrashesQueryService,
    private readonly neverGuilty: NeverGuiltyRepository,
    private readonly regroup: RegroupService,
    private readonly commands: CommandBus,
  ) {}

  @Get('crashes')
  async top(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const f = parseCrashFilter(queryOf(request.url), new Date());
    const table = await this.query.topGuilty(f.window);
    const builds = await this.query.builds();
    const overview = request.headers['hx-request'] ? undefined : await this.query.overview();
    const model = {
      nav: 'clearlinux-crashes',
      values: f.values,
      builds: builds.map((b) => ({ value: b, selected: b === f.values.build })),
      table: {
        ...table,
        rows: table.rows.map((r) => ({ ...r, url: `${CRASHES_CONSOLE_PATH}/guilty${qs({ function: r.function, module: r.module, ...f.values })}` })),
      },
      apiUrl: `/api/clearlinux/crashes/top-guilty${qs(f.values)}`,
      // `<` escaped: frame names are client text and this JSON sits inside a <script> element.
      chart: scriptJson({ labels: table.rows.map((r) => r.label), totals: table.rows.map((r) => r.total) }),
      regroup: regroupModel(this.regroup.current()),
      overview: overview && scriptJson(overview),
    };
    return renderPage(request, reply, { page: 'pages/clearlinux/crashes.hbs', partial: 'partials/_clr_crashes_top.hbs', title: 'Crashes' }, model);
  }

  @Get('crashes/guilty')
  async byGuilty(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const q = queryOf(request.url);
    const guilty = parseGuiltyParam(q);
    const f = parseCrashFilter(q, new Date());
    const { total, crashes } = await this.query.byGuilty(guilty, f.window);
    return renderPage(request, reply, { page: 'pages/clearlinux/crash-list.hbs', title: `Crashes in ${guilty.function}` }, {
      nav: 'clearlinux-crashes',
      guilty,
      values: f.values,
      total,
      shown: crashes.length,
      limit: CRASH_LIST_LIMIT,
      backUrl: `${CRASHES_CONSOLE_PATH}${qs(f.values)}`,
      apiUrl: `/api/clearlinux/crashes${qs({ function: guilty.function, module: guilty.module, ...f.values })}`,
      crashes: crashes.map((c) => ({
        ...c,
        url: `${CRASHES_CONSOLE_PATH}/${c.record_id}`,
        frames: c.frames.map((fr) => ({ ...fr, guilty: fr.function === guilty.function && fr.module === guilty.module })),
      })),
    });
  }

  @Get('crashes/:recordId')
  async detail(@Param('recordId') recordId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const crash = /^[0-9]{1,18}$/.test(recordId) ? await this.query.detail(recordId) : undefined;
    if (!crash) throw new NotFound(`crash record ${recordId} not found`, 'not_found');
    const offered = new Set<object>(offeredFrames(crash.frames));
    return renderPage(request, reply, { page: 'pages/clearlinux/crash.hbs', title: `Crash ${recordId}` }, {
      nav: 'clearlinux-crashes',
      crash,
      frames: crash.frames.map((f) => ({ ...f, offered: offered.has(f), value: JSON.stringify([f.function, f.module]) })),
      recordUrl: `/console/clearlinux/records/${recordId}`,
      apiUrl: `/api/clearlinux/crashes/${recordId}`,
      regroup: regroupModel(this.regroup.current()),
    });
  }

  @Get('never-guilty')
  async editor(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const q = queryOf(request.url);
    return renderPage(request, reply, { page: 'pages/clearlinux/never-guilty.hbs', title: 'Never-guilty frames' }, {
      nav: 'clearlinux-never-guilty',
      frames: (await this.neverGuilty.list()).map((p) => ({ ...p, label: `${p.function} - [${p.module}]` })),
      warnings: q.getAll('warning'),
      regroup: regroupModel(this.regroup.current()),
    });
  }

  /** The regroup status block alone: pages poll it while a regroup runs. */
  @Get('never-guilty/regroup')
  regroupPartial(@Res() reply: FastifyReply) {
    void reply.header('cache-control', 'no-store');
    return reply.view('partials/_clr_regroup.hbs', { regroup: regroupModel(this.regroup.current()) });
  }

  @Post('never-guilty')
  async mark(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const form = formBody(request.body);
    const pair = parseFramePair({ function: form.get('function') ?? '', module: form.get('module') ?? '' }, 'form');
    const outcome = await this.commands.execute(new EditNeverGuilty([pair], [], new Date().toISOString()));
    return backToEditor(reply, outcome.warnings);
  }

  @Post('never-guilty/unmark')
  async unmark(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const form = formBody(request.body);
    const pair = parseFramePair({ function: form.get('function') ?? '', module: form.get('module') ?? '' }, 'form');
    const outcome = await this.commands.execute(new EditNeverGuilty([], [pair], new Date().toISOString()));
    return backToEditor(reply, outcome.warnings);
  }

  @Post('crashes/:recordId/never-guilty')
  async fromCrash(@Param('recordId') recordId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    if (!/^[0-9]{1,18}$/.test(recordId)) throw new NotFound(`crash record ${recordId} not found`, 'not_found');
    const checked = checkedFrames(formBody(request.body).getAll('frame'), 'frame');
    const outcome = await this.commands.execute(new SetNeverGuiltyFromCrash(recordId, checked, new Date().toISOString()));
    return backToEditor(reply, outcome.warnings);
  }
}

function backToEditor(reply: FastifyReply, warnings: readonly string[]) {
  const query = new URLSearchParams(warnings.map((w): [string, string] => ['warning', w])).toString();
  return reply.status(303).header('location', `${NEVER_GUILTY_CONSOLE_PATH}${query ? `?${query}` : ''}`).send();
}

function qs(values: Record<string, string>): string {
  const entries = Object.entries(values).filter(([k, v]) => v !== '' || k === 'module');
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}

/** What the pages show about regrouping (spec §7.5: "until it finishes the page states that regrouping is in progress"). */
export function regroupModel(s: RegroupStatus) {
  const percent = s.progress && s.progress.total > 0 ? Math.floor((100 * s.progress.processed) / s.progress.total) : 0;
  return {
    ...s,
    running: s.state === 'running',
    done: s.state === 'done',
    failed: s.state === 'failed',
    percent,
    changes: s.diff?.changes.map((c) => ({
      ...c,
      label: c.function === null ? '(no guilty frame)' : `${c.function} - [${c.module}]`,
      delta: c.after - c.before > 0 ? `+${c.after - c.before}` : String(c.after - c.before),
      url: c.function === null ? null : `${CRASHES_CONSOLE_PATH}/guilty${qs({ function: c.function, module: c.module ?? '' })}`,
    })),
  };
}
