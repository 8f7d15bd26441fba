import { Command } from '@nestjs/cqrs';
import type { FramePair } from '../backtrace';
import type { RegroupStatus } from '../regroup.service';

export type EditOutcome = Readonly<{
  /** false: nothing to change (every pair already in the requested state). */
  changed: boolean;
  marked: FramePair[];
  unmarked: FramePair[];
  warnings: string[];
  regroup: RegroupStatus;
  /** After an "apply" to one crash: that record's guilty as re-chosen with the list now. */
  crash?: Readonly<{ recordId: string; guilty: FramePair | null }>;
}>;

/**
 * clearlinux.md §7.5 after an edit from one crash: `record` ("apply") re-processes just that crash record, `all`
 * ("apply and submit") regroups every backtrace record from the log.
 */
export type ReprocessScope = 'record' | 'all';
export const REPROCESS_SCOPES: readonly ReprocessScope[] = ['record', 'all'];

/** Mark and/or unmark never-guilty pairs (spec clearlinux.md §7.5 add / remove), `at` = server time of the request. */
export class EditNeverGuilty extends Command<EditOutcome> {
  constructor(
    readonly mark: readonly FramePair[],
    readonly unmark: readonly FramePair[],
    readonly at: string,
  ) {
    super();
  }
}

/** clearlinux.md §7.5 "edit from one crash": exactly the checked offered frames of that crash become never-guilty. */
export class SetNeverGuiltyFromCrash extends Command<EditOutcome> {
  constructor(
    readonly recordId: string,
    readonly checked: readonly FramePair[],
    readonly reprocess: ReprocessScope,
    readonly at: string,
  ) {
    super();
  }
}

/** clearlinux.md §7.5 "reset": re-process every backtrace record with the list as it is (no list change). */
export class ReprocessAllCrashes extends Command<RegroupStatus> {
  constructor(readonly reason: string) {
    super();
  }
}
