import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InvalidInput, ServiceUnavailable } from '../../../common/errors';
import { TelemetryEvent } from '../../../event-log/event';
import { EventLog } from '../../../event-log/event-log';
import { ClaimsRepository, RecordKind, keyOf } from './claims.repository';
import { OstfRun, OswlRecord, ostfRunReported, oswlReported } from '../fuel.events';
import { FuelMetrics } from '../fuel.metrics';
import { RemovalCounts, mergeCounts, sanitiseTree } from './sanitiser';
import { collapseByKey } from './submit-action-logs.handler';
import { SubmitOstfRuns, SubmitOswlStats, UpsertResult } from './submit-oswl-stats.command';

type Keyed = Readonly<{ master_node_uid: string; id: number }>;

/** `created_date` passed the schema pattern; reject impossible calendar dates (2016-02-30) so the projection's `date` cast cannot fail. */
export function assertCalendarDates(records: readonly OswlRecord[]): void {
  for (const [i, r] of records.entries()) {
    const day = r.created_date.slice(0, 10);
    const d = new Date(`${day}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) {
      throw new InvalidInput(`/oswl_stats/${i}/created_date: format — "${r.created_date}" is not a calendar date`, 'schema');
    }
  }
}

/**
 * Shared by OSWL (fuelstats.md §3.4) and OSTF runs (fuelstats.md §3.5): collapse in-request duplicates (last wins), sanitise,
 * append as one batch, then claim the keys — a newly claimed key is `added`, a known one `updated`.
 * A storage failure other than unavailability marks the batch `failed` (HTTP stays 200).
 */
async function upsertBatch<R extends Keyed>(
  kind: RecordKind,
  input: readonly R[],
  clean: (r: R) => { value: R; removed: RemovalCounts },
  toEvent: (r: R) => TelemetryEvent,
  deps: { log: EventLog; claims: ClaimsRepository; metrics: FuelMetrics },
): Promise<UpsertResult[]> {
  const records = collapseByKey(input, (r) => keyOf(r.master_node_uid, r.id));
  if (records.length === 0) return [];
  const removed: RemovalCounts = {};
  const events = records.map((r) => {
    const c = clean(r);
    mergeCounts(removed, c.removed);
    return toEvent(c.value);
  });
  let claimed: Set<string>;
  try {
    await deps.log.append(events);
    claimed = await deps.claims.claimRecords(kind, records.map((r) => ({ uid: r.master_node_uid, id: r.id })));
  } catch (err) {
    if (err instanceof ServiceUnavailable) throw err;
    const failed = records.map((r) => ({ master_node_uid: r.master_node_uid, id: r.id, status: 'failed' as const }));
    deps.metrics.countStatuses(kind, failed);
    return failed;
  }
  deps.metrics.countRemovals(removed);
  const results = records.map((r) => ({
    master_node_uid: r.master_node_uid,
    id: r.id,
    status: claimed.has(keyOf(r.master_node_uid, r.id)) ? ('added' as const) : ('updated' as const),
  }));
  deps.metrics.countStatuses(kind, results);
  return results;
}

@CommandHandler(SubmitOswlStats)
export class SubmitOswlStatsHandler implements ICommandHandler<SubmitOswlStats> {
  constructor(
    private readonly log: EventLog,
    private readonly claims: ClaimsRepository,
    private readonly metrics: FuelMetrics,
  ) {}

  execute({ body, receivedAt }: SubmitOswlStats): Promise<UpsertResult[]> {
    const records = body.oswl_stats as unknown as OswlRecord[];
    assertCalendarDates(records);
    return upsertBatch(
      'oswl',
      records,
      (r) => {
        const { value, removed } = sanitiseTree(r.resource_data);
        return { value: { ...r, resource_data: value }, removed };
      },
      (r) => oswlReported(r, receivedAt),
      { log: this.log, claims: this.claims, metrics: this.metrics },
    );
  }
}

@CommandHandler(SubmitOstfRuns)
export class SubmitOstfRunsHandler implements ICommandHandler<SubmitOstfRuns> {
  constructor(
    private readonly log: EventLog,
    private readonly claims: ClaimsRepository,
    private readonly metrics: FuelMetrics,
  ) {}

  execute({ body, receivedAt }: SubmitOstfRuns): Promise<UpsertResult[]> {
    return upsertBatch('ostf', body.ostf_runs as unknown as OstfRun[], (r) => sanitiseTree(r), (r) => ostfRunReported(r, receivedAt), {
      log: this.log,
      claims: this.claims,
      metrics: this.metrics,
    });
  }
}
