import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NotFound } from '../../../../common/errors';
import { EventLog } from '../../../../event-log/event-log';
import { TelemetryEvent } from '../../../../event-log/event';
import { ProjectorRuntime } from '../../../../event-log/projector-runtime';
import { AnnotateGuilty, AnnotateOutcome } from './annotate-guilty.command';
import { isGuiltyId, planGuiltyChange } from '../guilty';
import { guiltyCommented, guiltyVisibilitySet } from './guilty.events';
import { GUILTY_NOTES_PROJECTOR } from './guilty.projection';
import { GuiltiesRepository } from './guilties.repository';

/** Appends the hide/unhide/comment events that actually change the guilty (durable before we answer). */
@CommandHandler(AnnotateGuilty)
export class AnnotateGuiltyHandler implements ICommandHandler<AnnotateGuilty, AnnotateOutcome> {
  constructor(
    private readonly guilties: GuiltiesRepository,
    private readonly log: EventLog,
    private readonly runtime: ProjectorRuntime,
  ) {}

  async execute({ guiltyId, change, at }: AnnotateGuilty): Promise<AnnotateOutcome> {
    const guilty = isGuiltyId(guiltyId) ? await this.guilties.find(guiltyId) : undefined;
    if (!guilty) throw new NotFound(`guilty ${guiltyId} not found`, 'not_found');
    const plan = planGuiltyChange(guilty, change);
    const events: TelemetryEvent[] = [];
    if (plan.hidden !== undefined) events.push(guiltyVisibilitySet(guilty, plan.hidden, at));
    if (plan.comment !== undefined) events.push(guiltyCommented(guilty, plan.comment, at));
    if (events.length === 0) return { changed: false, guilty };
    await this.log.append(events);
    // Read-your-writes: the top list rendered right after this already leaves a hidden guilty out.
    await this.runtime.catchUp([GUILTY_NOTES_PROJECTOR], 10_000).catch(() => undefined);
    return { changed: true, guilty: { ...guilty, ...plan } };
  }
}
