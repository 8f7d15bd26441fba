import { Injectable } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NotFound } from '../../common/errors';
import { EventLog } from '../../event-log/event-log';
import { TelemetryEvent } from '../../event-log/event';
import { ProjectorRuntime } from '../../event-log/projector-runtime';
import { neverGuiltyProjector } from './never-guilty.projection';
import { CrashesRepository } from './crashes.repository';
import { EditNeverGuilty, EditOutcome, SetNeverGuiltyFromCrash } from './edit-never-guilty.command';
import { EditPlan, planEdit, planFromCrash } from './never-guilty.edit';
import { NEVER_GUILTY_MARKED, NEVER_GUILTY_UNMARKED, neverGuiltyEdited } from './never-guilty.events';
import { NeverGuiltyRepository } from './never-guilty.repository';
import { RegroupService } from './regroup.service';

/** Appends the planned edit (durable before we answer) and starts the regroup it calls for. */
@Injectable()
export class NeverGuiltyEditor {
  constructor(
    private readonly log: EventLog,
    private readonly runtime: ProjectorRuntime,
    private readonly regroup: RegroupService,
  ) {}

  async apply(plan: EditPlan, at: string): Promise<EditOutcome> {
    const events: TelemetryEvent[] = [];
    if (plan.unmark.length > 0) events.push(neverGuiltyEdited(NEVER_GUILTY_UNMARKED, plan.unmark, at));
    if (plan.mark.length > 0) events.push(neverGuiltyEdited(NEVER_GUILTY_MARKED, plan.mark, at));
    if (events.length === 0) return { changed: false, marked: [], unmarked: [], warnings: plan.warnings, regroup: this.regroup.current() };
    await this.log.append(events);
    // Read-your-writes: the list answered (or rendered) right after this edit already contains it.
    await this.runtime.catchUp([neverGuiltyProjector.name], 10_000).catch(() => undefined);
    const reason = [
      ...plan.mark.map((p) => `marked ${p.function} - [${p.module}]`),
      ...plan.unmark.map((p) => `unmarked ${p.function} - [${p.module}]`),
    ].join('; ');
    return { changed: true, marked: plan.mark, unmarked: plan.unmark, warnings: plan.warnings, regroup: this.regroup.request(reason) };
  }
}

@CommandHandler(EditNeverGuilty)
export class EditNeverGuiltyHandler implements ICommandHandler<EditNeverGuilty, EditOutcome> {
  constructor(
    private readonly list: NeverGuiltyRepository,
    private readonly editor: NeverGuiltyEditor,
  ) {}

  async execute(cmd: EditNeverGuilty): Promise<EditOutcome> {
    return this.editor.apply(planEdit(await this.list.list(), cmd.mark, cmd.unmark), cmd.at);
  }
}

@CommandHandler(SetNeverGuiltyFromCrash)
export class SetNeverGuiltyFromCrashHandler implements ICommandHandler<SetNeverGuiltyFromCrash, EditOutcome> {
  constructor(
    private readonly crashes: CrashesRepository,
    private readonly list: NeverGuiltyRepository,
    private readonly editor: NeverGuiltyEditor,
  ) {}

  async execute(cmd: SetNeverGuiltyFromCrash): Promise<EditOutcome> {
    const crash = await this.crashes.byRecordId(cmd.recordId);
    if (!crash) throw new NotFound(`crash record ${cmd.recordId} not found`, 'not_found');
    return this.editor.apply(planFromCrash(crash.frames, cmd.checked, await this.list.list()), cmd.at);
  }
}
