import { Command } from '@nestjs/cqrs';
import type { FramePair } from './backtrace';
import type { RegroupStatus } from './regroup.service';

export type EditOutcome = Readonly<{
  /** false: nothing to change (every pair already in the requested state). */
  changed: boolean;
  marked: FramePair[];
  unmarked: FramePair[];
  warnings: string[];
  regroup: RegroupStatus;
}>;

/** Mark and/or unmark never-guilty pairs (spec §7.5 add / remove), `at` = server time of the request. */
export class EditNeverGuilty extends Command<EditOutcome> {
  constructor(
    readonly mark: readonly FramePair[],
    readonly unmark: readonly FramePair[],
    readonly at: string,
  ) {
    super();
  }
}

/** §7.5 "edit from one crash": exactly the checked offered frames of that crash become never-guilty. */
export class SetNeverGuiltyFromCrash extends Command<EditOutcome> {
  constructor(
    readonly recordId: string,
    readonly checked: readonly FramePair[],
    readonly at: string,
  ) {
    super();
  }
}
