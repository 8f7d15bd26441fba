import { Injectable } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NotFound } from '../../../../common/errors';
import { EventLog } from '../../../../event-log/event-log';
import { TelemetryEvent } from '../../../../event-log/event';
import { ProjectorRuntime } from '../../../../event-log/projector-runtime';
import { neverGuiltyProjector } from './never-guilty.projection';
import { crashReprocessRequested } from '../crash-reprocess.events';
import { CRASHES_PROJECTOR } from '../crashes.projection';
import { CrashesRepository, CrashRow } from '../crashes.repository';
import { EditNeverGuilty, EditOutcome, ReprocessAllCrashes, SetNeverGuiltyFromCrash } from './edit-never-guilty.command';
import { EditPlan, planEdit, planFromCrash } from './never-guilty.edit';
import { NEVER_GUILTY_MARKED, NEVER_GUILTY_UNMARKED, neverGuiltyEdited } from './never-guilty.events';
import { NeverGuiltyList, NeverGuiltyRepository } from './never-guilty.repository';
import { RegroupService, RegroupStatus } from '../regroup.service';

/** Appends the planned edit (durable before we answer) and starts the re-processing it calls for. */
@Injectable()
export class NeverGuiltyEditor {
  constructor(
    private readonly log: EventLog,
    private readonly runtime: ProjectorRuntime,
    private readonly regroup: RegroupService,
    private readonly list: NeverGuiltyList,
    private readonly crashes: CrashesRepository,
  ) {}

  /** Edit, then regroup every crash from the log ("submit", "apply and submit"). */
  async apply(plan: EditPlan, at: string): Promise<EditOutcome> {
    if (!(await this.appendEdit(plan, at))) return { ...outcome(plan, false), regroup: this.regroup.current() };
    return { ...outcome(plan, true), regroup: this.regroup.request(reasonOf(plan)) };
  }

  /**
   * Edit, then re-process just this crash ("apply"): the list in memory is reloaded at once (so new
   * crashes use it too), and a reprocess event makes the crashes projector re-choose this record's
   * guilty; the other records keep theirs until the next regroup (clearlinux.md §7.5 "existing records keep their
   * old guilty until re-processed").
   */
  async applyToRecord(plan: EditPlan, crash: CrashRow, at: string): Promise<EditOutcome> {
    const changed = await this.appendEdit(plan, at);
    await this.list.reload();
    // A regroup replaying meanwhile began with the old list: one more pass, so it ends with one list.
    const regroup = changed && this.regroup.current().state === 'running' ? this.regroup.request(reasonOf(plan)) : this.regroup.current();
    await this.log.append([crashReprocessRequested(crash, at)]);
    await this.runtime.catchUp([CRASHES_PROJECTOR], 10_000).catch(() => undefined);
    const after = await this.crashes.byRecordId(crash.record_id);
    const guilty = after?.guilty_function == null ? null : { function: after.guilty_function, module: after.guilty_module ?? '' };
    return { ...outcome(plan, changed), regroup, crash: { recordId: crash.record_id, guilty } };
  }

  /** true when the list changed; the list's projection then already holds the edit (read-your-writes). */
  private async appendEdit(plan: EditPlan, at: string): Promise<boolean> {
    const events: TelemetryEvent[] = [];
    if (plan.unmark.length > 0) events.push(neverGuiltyEdited(NEVER_GUILTY_UNMARKED, plan.unmark, at));
    if (plan.mark.length > 0) events.push(neverGuiltyEdited(NEVER_GUILTY_MARKED, plan.mark, at));
    if (events.length === 0) return false;
    await this.log.append(events);
    await this.runtime.catchUp([neverGuiltyProjector.name], 10_000).catch(() => undefined);
    return true;
  }
}

function outcome(plan: EditPlan, changed: boolean) {
  return changed
    ? { changed, marked: plan.mark, unmarked: plan.unmark, warnings: plan.warnings }
    : { changed, marked: [], unmarked: [], warnings: plan.warnings };
}

function reasonOf(plan: EditPlan): string {
  return [
    ...plan.mark.map((p) => `marked ${p.function} - [${p.module}]`),
    ...plan.unmark.map((p) => `unmarked ${p.function} - [${p.module}]`),
  ].join('; ');
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
    const plan = planFromCrash(crash.frames, cmd.checked, await this.list.list());
    return cmd.reprocess === 'record' ? this.editor.applyToRecord(plan, crash, cmd.at) : this.editor.apply(plan, cmd.at);
  }
}

@CommandHandler(ReprocessAllCrashes)
export class ReprocessAllCrashesHandler implements ICommandHandler<ReprocessAllCrashes, RegroupStatus> {
  constructor(private readonly regroup: RegroupService) {}

  async execute(cmd: ReprocessAllCrashes): Promise<RegroupStatus> {
    return this.regroup.request(cmd.reason);
  }
}
