import { Command } from '@nestjs/cqrs';

export type ActionLogStatus = 'added' | 'existed' | 'skipped' | 'failed';
export type ActionLogResult = Readonly<{ master_node_uid: string; external_id: number; status: ActionLogStatus }>;

/** A schema-valid `{"action_logs": [...]}` body (fuelstats.md §3.2). */
export class SubmitActionLogs extends Command<ActionLogResult[]> {
  constructor(
    readonly body: Readonly<{ action_logs: readonly Record<string, unknown>[] }>,
    readonly receivedAt: string,
  ) {
    super();
  }
}
