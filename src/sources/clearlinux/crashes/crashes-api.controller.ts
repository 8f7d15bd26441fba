import { Body, Controller, Delete, Get, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFound } from '../../../common/errors';
import { OVERALL, parseBuildPath, parseCrashFilter, parseGuiltyParam } from './crashes.query';
import { CrashesQueryService } from './crashes.query-service';
import { EditNeverGuilty, EditOutcome, ReprocessAllCrashes, SetNeverGuiltyFromCrash } from './never-guilty/edit-never-guilty.command';
import { parseEditBody, parseReprocessScope } from './never-guilty/edit-request';
import { parseFramePairs } from './never-guilty/never-guilty.edit';
import { NeverGuiltyRepository } from './never-guilty/never-guilty.repository';
import { RegroupService } from './regroup.service';
import { neverGuiltyEditSchema, topGuiltyResponseSchema } from '../clearlinux.schemas';
import { jsonObjectBody, queryOf } from '../../../common/http-input';
import { RequiresRole } from '../../../auth/roles';

const WINDOW_QUERIES = [
  ApiQuery({ name: 'from', required: false, description: 'first reception day, UTC YYYY-MM-DD (default: 6 days before today)' }),
  ApiQuery({ name: 'to', required: false, description: 'day after the window, UTC YYYY-MM-DD, exclusive (default: tomorrow)' }),
  ApiQuery({ name: 'build', required: false, description: 'only this build (default: the 8 highest builds of ≥ 2 digits)' }),
];
const withWindow = (target: object, key: string) => {
  for (const d of WINDOW_QUERIES) d(target, key, Object.getOwnPropertyDescriptor(target, key)!);
};

/** Crashes (spec clearlinux.md §8.4) and the never-guilty list (clearlinux.md §7.5) as JSON; every console chart reads the same data. */
@ApiTags('clearlinux crashes')
@ApiBearerAuth()
@RequiresRole('viewer')
@Controller('api/clearlinux')
export class CrashesApiController {
  constructor(
    private readonly query: CrashesQueryService,
    private readonly neverGuilty: NeverGuiltyRepository,
    private readonly regroup: RegroupService,
    private readonly commands: CommandBus,
  ) {}

  @Get('crashes/top-guilty')
  @ApiOperation({ summary: 'Top 10 guilty frames by crashes received in the window, with per-build counts' })
  @ApiOkResponse({ schema: topGuiltyResponseSchema })
  @ApiBadRequestResponse({ description: '{"message": "<which parameter is invalid>"}' })
  async topGuilty(@Req() req: FastifyRequest) {
    const f = parseCrashFilter(queryOf(req.url), new Date());
    return { from: f.values.from, to: f.values.to, build: f.window.build, ...(await this.query.topGuilty(f.window)) };
  }

  @Get('crashes/overview')
  @ApiOperation({ summary: 'All-time crash counts per crash classification (7 classes) and per build (backtrace classes, 10 highest numeric builds, highest first)' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        byClassification: { type: 'array', items: { type: 'object', properties: { classification: { type: 'string' }, crashes: { type: 'integer' } } } },
        byBuild: { type: 'array', items: { type: 'object', properties: { build: { type: 'string' }, crashes: { type: 'integer' } } } },
      },
    },
  })
  overview() {
    return this.query.overview();
  }

  @Get('crashes')
  @ApiOperation({ summary: 'Crashes of one guilty frame (newest first, at most 50) and their total' })
  @ApiQuery({ name: 'function', required: true, description: 'guilty function, verbatim (e.g. `raise()`)' })
  @ApiQuery({ name: 'module', required: true, description: 'guilty module, verbatim (may be empty)' })
  async byGuilty(@Req() req: FastifyRequest) {
    const q = queryOf(req.url);
    const guilty = parseGuiltyParam(q);
    const f = parseCrashFilter(q, new Date());
    return { guilty, from: f.values.from, to: f.values.to, build: f.window.build, ...(await this.query.byGuilty(guilty, f.window)) };
  }

  @Get('crashes/builds/:build')
  @ApiOperation({ summary: 'Top 10 guilty frames of one build (`overall` = every build) by crashes, all time; hidden guilties left out' })
  async topOfBuild(@Param('build') build: string) {
    const b = parseBuildPath(build);
    return { build: b ?? OVERALL, rows: await this.query.topOfBuild(b) };
  }

  @Get('crashes/:recordId')
  @ApiOperation({ summary: 'One crash: program, pid, signal, crashing-thread frames with the guilty one flagged' })
  @ApiNotFoundResponse({ description: 'no crash with this record id' })
  async detail(@Param('recordId') recordId: string) {
    const crash = /^[0-9]{1,18}$/.test(recordId) ? await this.query.detail(recordId) : undefined;
    if (!crash) throw new NotFound(`crash record ${recordId} not found`, 'not_found');
    return crash;
  }

  @RequiresRole('analyst')

  @Post('crashes/:recordId/never-guilty')
  @ApiOperation({ summary: 'Edit from one crash: exactly the given offered frames become never-guilty, the others stop being' })
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        never_guilty: { type: 'array', items: { type: 'object', properties: { function: { type: 'string' }, module: { type: 'string' } } } },
        reprocess: { type: 'string', enum: ['record', 'all'], default: 'all', description: '`record` ("apply"): re-process just this crash, whose new guilty is in `crash`; `all` ("apply and submit"): regroup every crash' },
      },
    },
  })
  @ApiAcceptedResponse({ description: 'list changed; regrouping started (or, with reprocess=record, this crash re-processed)' })
  @ApiOkResponse({ description: 'list unchanged' })
  async fromCrash(@Param('recordId') recordId: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    if (!/^[0-9]{1,18}$/.test(recordId)) throw new NotFound(`crash record ${recordId} not found`, 'not_found');
    const json = jsonObjectBody({ body });
    const checked = parseFramePairs(json.never_guilty ?? [], 'never_guilty');
    const scope = parseReprocessScope(json.reprocess);
    return this.answer(reply, await this.commands.execute(new SetNeverGuiltyFromCrash(recordId, checked, scope, new Date().toISOString())));
  }

  @RequiresRole('analyst')

  @Post('never-guilty/reset')
  @ApiOperation({ summary: 'Reset: re-process every backtrace record with the current list (regroup from the log)' })
  @ApiAcceptedResponse({ description: 'regrouping started — poll GET never-guilty/regroup' })
  async reset(@Res({ passthrough: true }) reply: FastifyReply) {
    void reply.status(202);
    return this.commands.execute(new ReprocessAllCrashes('reset'));
  }

  @Get('never-guilty')
  @ApiOperation({ summary: 'The never-guilty list and the state of the last regroup' })
  async list() {
    return { frames: await this.neverGuilty.list(), regroup: this.regroup.current() };
  }

  @RequiresRole('analyst')

  @Post('never-guilty')
  @ApiOperation({ summary: 'Mark (and/or unmark) never-guilty frames; every change regroups all crashes from the log' })
  @ApiBody({ schema: neverGuiltyEditSchema })
  @ApiAcceptedResponse({ description: 'list changed (events appended); regrouping started — poll GET never-guilty/regroup' })
  @ApiOkResponse({ description: 'nothing to change (pair already listed): `warnings` says why' })
  @ApiBadRequestResponse({ description: '{"message": "<which field is invalid>"}' })
  async mark(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const { mark, unmark } = parseEditBody(jsonObjectBody({ body }));
    return this.answer(reply, await this.commands.execute(new EditNeverGuilty(mark, unmark, new Date().toISOString())));
  }

  @RequiresRole('analyst')

  @Delete('never-guilty')
  @ApiOperation({ summary: 'Unmark one never-guilty frame' })
  @ApiQuery({ name: 'function', required: true })
  @ApiQuery({ name: 'module', required: true })
  @ApiAcceptedResponse({ description: 'list changed; regrouping started' })
  @ApiOkResponse({ description: 'the pair was not listed' })
  async unmark(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const pair = parseGuiltyParam(queryOf(req.url));
    return this.answer(reply, await this.commands.execute(new EditNeverGuilty([], [pair], new Date().toISOString())));
  }

  @Get('never-guilty/regroup')
  @ApiOperation({ summary: 'Regroup (crashes replay) status: state, replay progress, and the group diff once done' })
  regroupStatus() {
    return this.regroup.current();
  }

  private answer(reply: FastifyReply, outcome: EditOutcome): EditOutcome {
    void reply.status(outcome.changed ? 202 : 200);
    return outcome;
  }
}

withWindow(CrashesApiController.prototype, 'topGuilty');
withWindow(CrashesApiController.prototype, 'byGuilty');
