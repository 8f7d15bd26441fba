import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFound } from '../../../common/errors';
import { renderPage } from '../../../console/render';
import { OVERALL, parseBuildPath, parseCrashFilter, parseGuiltyParam } from './crashes.query';
import { CRASH_LIST_LIMIT, CrashesQueryService } from './crashes.query-service';
import { EditNeverGuilty, ReprocessAllCrashes, SetNeverGuiltyFromCrash } from './never-guilty/edit-never-guilty.command';
import { checkedFrames, parseReprocessScope } from './never-guilty/edit-request';
import { offeredFrames } from './backtrace';
import { parseFramePair } from './never-guilty/never-guilty.edit';
import { NeverGuiltyRepository } from './never-guilty/never-guilty.repository';
import { RegroupService, RegroupStatus } from './regroup.service';
import { formBody, queryOf } from '../../../common/http-input';
import { chart, columns, pie, rankedBars } from '../../../console/charts';
import { RequiresRole } from '../../../auth/roles';

export const CRASHES_CONSOLE_PATH = '/console/clearlinux/crashes';
export const NEVER_GUILTY_CONSOLE_PATH = '/console/clearlinux/never-guilty';
export const GUILTIES_CONSOLE_PATH = '/console/clearlinux/guilties';

/** Crashes view (spec clearlinux.md §8.4), crash lists and detail, and the never-guilty editor (clearlinux.md §7.5). */
@ApiExcludeController()
@RequiresRole('viewer')
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
        rows: table.rows.map((r) => ({
          ...r,
          url: guiltyUrl(r.id),
          crashesUrl: `${CRASHES_CONSOLE_PATH}/guilty${qs({ function: r.function, module: r.module, ...f.values })}`,
        })),
      },
      hidden: overview && (await this.query.annotated()).filter((g) => g.hidden).map((g) => ({ ...g, url: guiltyUrl(g.id) })),
      apiUrl: `/api/clearlinux/crashes/top-guilty${qs(f.values)}`,
      chart: chart('clr-top', rankedBars(table.rows.map((r) => r.label), table.rows.map((r) => r.total), 'crashes', { category: { title: 'Guilty frame' }, value: { title: 'Crashes', unit: 'count' } }), { class: 'chart', testid: 'clr-top-chart' }),
      regroup: regroupModel(this.regroup.current()),
      overview: overview && overviewCharts(overview),
    };
    return renderPage(request, reply, { page: 'pages/clearlinux/crashes.hbs', partial: 'partials/_clr_crashes_top.hbs', title: 'Crashes' }, model);
  }

  /** clearlinux.md §8.4 `/crashes/<build>`: top 10 of one build (`overall` = all builds), all time. */
  @Get('crashes/builds/:build')
  async topOfBuild(@Param('build') build: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const b = parseBuildPath(build);
    const rows = await this.query.topOfBuild(b);
    return renderPage(request, reply, { page: 'pages/clearlinux/crashes-build.hbs', title: `Crashes of build ${b ?? OVERALL}` }, {
      nav: 'clearlinux-crashes',
      build: b ?? OVERALL,
      overall: b === null,
      builds: (await this.query.builds()).map((value) => ({ value, url: `${CRASHES_CONSOLE_PATH}/builds/${encodeURIComponent(value)}`, selected: value === b })),
      rows: rows.map((r) => ({ ...r, url: guiltyUrl(r.id) })),
      apiUrl: `/api/clearlinux/crashes/builds/${encodeURIComponent(b ?? OVERALL)}`,
    });
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
    const q = queryOf(request.url);
    return renderPage(request, reply, { page: 'pages/clearlinux/crash.hbs', title: `Crash ${recordId}` }, {
      nav: 'clearlinux-crashes',
      crash,
      guiltyUrl: crash.guilty_id && guiltyUrl(crash.guilty_id),
      applied: q.get('applied') === '1',
      warnings: q.getAll('warning'),
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

  @RequiresRole('analyst')

  @Post('never-guilty')
  async mark(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const form = formBody(request);
    const pair = parseFramePair({ function: form.get('function') ?? '', module: form.get('module') ?? '' }, 'form');
    const outcome = await this.commands.execute(new EditNeverGuilty([pair], [], new Date().toISOString()));
    return backToEditor(reply, outcome.warnings);
  }

  @RequiresRole('analyst')

  @Post('never-guilty/unmark')
  async unmark(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const form = formBody(request);
    const pair = parseFramePair({ function: form.get('function') ?? '', module: form.get('module') ?? '' }, 'form');
    const outcome = await this.commands.execute(new EditNeverGuilty([], [pair], new Date().toISOString()));
    return backToEditor(reply, outcome.warnings);
  }

  @RequiresRole('analyst')

  @Post('crashes/:recordId/never-guilty')
  async fromCrash(@Param('recordId') recordId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    if (!/^[0-9]{1,18}$/.test(recordId)) throw new NotFound(`crash record ${recordId} not found`, 'not_found');
    const form = formBody(request);
    const checked = checkedFrames(form.getAll('frame'), 'frame');
    const scope = parseReprocessScope(form.get('reprocess'));
    const outcome = await this.commands.execute(new SetNeverGuiltyFromCrash(recordId, checked, scope, new Date().toISOString()));
    if (scope === 'record') return redirect(reply, `${CRASHES_CONSOLE_PATH}/${recordId}`, [['applied', '1'], ...warningParams(outcome.warnings)]);
    return backToEditor(reply, outcome.warnings);
  }

  /** clearlinux.md §7.5 "reset": re-process every backtrace record with the list as it is. */
  @RequiresRole('analyst')
  @Post('never-guilty/reset')
  async reset(@Res() reply: FastifyReply) {
    await this.commands.execute(new ReprocessAllCrashes('reset'));
    return backToEditor(reply, []);
  }
}

function backToEditor(reply: FastifyReply, warnings: readonly string[]) {
  return redirect(reply, NEVER_GUILTY_CONSOLE_PATH, warningParams(warnings));
}

const warningParams = (warnings: readonly string[]) => warnings.map((w): [string, string] => ['warning', w]);

/** 303 after a form post, so a reload does not post again. */
export function redirect(reply: FastifyReply, path: string, params: [string, string][] = []) {
  const query = new URLSearchParams(params).toString();
  return reply.status(303).header('location', `${path}${query ? `?${query}` : ''}`).send();
}

export function guiltyUrl(id: string): string {
  return `${GUILTIES_CONSOLE_PATH}/${id}`;
}

export function qs(values: Record<string, string>): string {
  const entries = Object.entries(values).filter(([k, v]) => v !== '' || k === 'module');
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}

/** What the pages show about regrouping (spec clearlinux.md §7.5: "until it finishes the page states that regrouping is in progress"). */
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

/** The two all-time charts: crashes per classification, and backtrace crashes of the 10 highest builds (lowest first). */
export function overviewCharts(o: Awaited<ReturnType<CrashesQueryService['overview']>>) {
  const builds = [...o.byBuild].reverse();
  return {
    byClassification: chart('clr-class', pie(o.byClassification.map((c) => ({ name: c.classification, value: c.crashes })), { name: 'classification', unit: 'crashes' }), {
      class: 'chart half',
      testid: 'clr-class-chart',
      title: 'crashes per classification',
    }),
    byBuild: chart('clr-build', columns(builds.map((b) => b.build), builds.map((b) => b.crashes), 'crashes', { x: { title: 'Build' }, y: { title: 'Crashes', unit: 'count' } }), {
      class: 'chart half',
      testid: 'clr-build-chart',
      title: 'backtrace crashes per build (10 highest)',
    }),
  };
}
