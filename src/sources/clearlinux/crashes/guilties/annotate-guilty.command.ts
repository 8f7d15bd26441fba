import { Command } from '@nestjs/cqrs';
import type { GuiltyChange } from '../guilty';
import type { Guilty } from './guilties.repository';

export type AnnotateOutcome = Readonly<{
  /** false: the guilty already was as asked (nothing appended). */
  changed: boolean;
  guilty: Guilty;
}>;

/** Hide / unhide a guilty and/or set its comment (spec clearlinux.md §7.5), `at` = server time of the request. */
export class AnnotateGuilty extends Command<AnnotateOutcome> {
  constructor(
    readonly guiltyId: string,
    readonly change: GuiltyChange,
    readonly at: string,
  ) {
    super();
  }
}
