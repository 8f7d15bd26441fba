import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ServiceUnavailable } from '../../../common/errors';
import { EventLog } from '../../../event-log/event-log';
import { ClaimsRepository, keyOf } from './claims.repository';
import { ActionLogRecord, actionLogRecorded } from '../fuel.events';
import { FuelMetrics } from '../fuel.metrics';
import { RemovalCounts, mergeCounts, sanitiseTree } from './sanitiser';
import { ActionLogResult, SubmitActionLogs } from './submit-action-logs.command';

/** fuelstats.md §3.2 step 1: one entry per (uid, external_id), the last occurrence wins. */
export function collapseByKey<T>(records: readonly T[], key: (r: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const r of records) {
    const k = key(r);
    byKey.delete(k); // re-insert so the map order follows the winning (last) occurrence
    byKey.set(k, r);
  }
  return [...byKey.values()];
}

/** fuelstats.md §3.2 step 3: a task still running (end time null, absent or "") is not stored yet. */
export function isIncompleteTask(record: ActionLogRecord): boolean {
  const body = record.body;
  const end = body.end_timestamp;
  return body.action_type === 'nailgun_task' && (end === null || end === undefined || end === '');
}

/** fuelstats.md §3.2/§3.6: secrets are dropped from additional_info before the event is built. */
export function sanitiseActionLog(record: ActionLogRecord): { record: ActionLogRecord; removed: RemovalCounts } {
  const info = record.body.additional_info;
  if (info === undefined) return { record, removed: {} };
  const { value, removed } = sanitiseTree(info);
  return { record: { ...record, body: { ...record.body, additional_info: value } }, removed };
}

@CommandHandler(SubmitActionLogs)
export class SubmitActionLogsHandler implements ICommandHandler<SubmitActionLogs> {
  constructor(
    private readonly log: EventLog,
    private readonly claims: ClaimsRepository,
    private readonly metrics: FuelMetrics,
  ) {}

  async execute({ body, receivedAt }: SubmitActionLogs): Promise<ActionLogResult[]> {
    const records = collapseByKey(body.action_logs as ActionLogRecord[], (r) => keyOf(r.master_node_uid, r.external_id));
    // "Key already stored → existed" (fuelstats.md §3.2 step 2, before "skipped"): the projection answers for rows older
    // than the log's own dedupe window (Kafka mode remembers ids for DEDUPE_WINDOW_HOURS); the log's
    // refusal of a duplicate event id covers records appended but not yet projected.
    const stored = await this.claims.storedActionLogs(records.map((r) => ({ uid: r.master_node_uid, id: r.external_id })));
    const results: ActionLogResult[] = [];
    const toAppend: ActionLogRecord[] = [];
    const removed: RemovalCounts = {};
    for (const r of records) {
      const result = { master_node_uid: r.master_node_uid, external_id: r.external_id };
      if (stored.has(keyOf(r.master_node_uid, r.external_id))) {
        results.push({ ...result, status: 'existed' });
        continue;
      }
      if (isIncompleteTask(r)) {
        results.push({ ...result, status: 'skipped' });
        continue;
      }
      const clean = sanitiseActionLog(r);
      mergeCounts(removed, clean.removed);
      toAppend.push(clean.record);
    }
    results.push(...(await this.append(toAppend, receivedAt)));
    this.metrics.countRemovals(removed);
    this.metrics.countStatuses('action_logs', results);
    return results;
  }

  /** One append for the batch; a non-availability failure is retried record by record before `failed` (fuelstats.md §3.2 step 5). */
  private async append(records: readonly ActionLogRecord[], receivedAt: string): Promise<ActionLogResult[]> {
    if (records.length === 0) return [];
    const events = records.map((r) => actionLogRecorded(r, receivedAt));
    const status = (r: ActionLogRecord, appended: boolean): ActionLogResult => ({
      master_node_uid: r.master_node_uid,
      external_id: r.external_id,
      status: appended ? 'added' : 'existed',
    });
    try {
      const outcomes = await this.log.append(events);
      return records.map((r, i) => status(r, outcomes[i].appended));
    } catch (err) {
      if (err instanceof ServiceUnavailable) throw err;
      const out: ActionLogResult[] = [];
      for (const [i, r] of records.entries()) {
        try {
          out.push(status(r, (await this.log.appendOne(events[i])).appended));
        } catch (one) {
          if (one instanceof ServiceUnavailable) throw one;
          out.push({ master_node_uid: r.master_node_uid, external_id: r.external_id, status: 'failed' });
        }
      }
      return out;
    }
  }
}
