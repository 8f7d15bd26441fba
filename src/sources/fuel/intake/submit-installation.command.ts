import { Command } from '@nestjs/cqrs';

export type InstallationOutcome = 'created' | 'updated';

/** A schema-valid `{"installation_structure": {...}}` body (fuelstats.md §3.3). */
export class SubmitInstallation extends Command<InstallationOutcome> {
  constructor(
    readonly body: Readonly<{ installation_structure: Record<string, unknown> }>,
    readonly receivedAt: string,
  ) {
    super();
  }
}
