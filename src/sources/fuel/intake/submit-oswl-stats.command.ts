import { Command } from '@nestjs/cqrs';

export type UpsertStatus = 'added' | 'updated' | 'failed';
export type UpsertResult = Readonly<{ master_node_uid: string; id: number; status: UpsertStatus }>;

/** A schema-valid `{"oswl_stats": [...]}` body (fuelstats.md §3.4). */
export class SubmitOswlStats extends Command<UpsertResult[]> {
  constructor(
    readonly body: Readonly<{ oswl_stats: readonly Record<string, unknown>[] }>,
    readonly receivedAt: string,
  ) {
    super();
  }
}

/** A schema-valid `{"ostf_runs": [...]}` body (fuelstats.md §3.5). */
export class SubmitOstfRuns extends Command<UpsertResult[]> {
  constructor(
    readonly body: Readonly<{ ostf_runs: readonly Record<string, unknown>[] }>,
    readonly receivedAt: string,
  ) {
    super();
  }
}
