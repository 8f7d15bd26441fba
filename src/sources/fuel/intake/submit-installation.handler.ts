import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventLog } from '../../../event-log/event-log';
import { ClaimsRepository } from './claims.repository';
import { FilteringRules, isFiltered } from './filtering-rules';
import { FUEL_CONFIG, FuelConfig } from '../fuel.config';
import { InstallationReported, installationReported } from '../fuel.events';
import { FuelMetrics } from '../fuel.metrics';
import { sanitiseInstallationStructure } from './sanitiser';
import { InstallationOutcome, SubmitInstallation } from './submit-installation.command';

/** fuelstats.md §3.3 step 1: sanitise, then derive `is_filtered` and `release` (pure). */
export function buildInstallationEvent(
  raw: Record<string, unknown>,
  rules: FilteringRules,
  receivedAt: string,
): { event: InstallationReported; removed: ReturnType<typeof sanitiseInstallationStructure>['removed'] } {
  const { value: structure, removed } = sanitiseInstallationStructure(raw);
  const fuelRelease = (structure.fuel_release ?? {}) as Record<string, unknown>;
  const release = typeof fuelRelease.release === 'string' ? fuelRelease.release : null;
  const filtered = isFiltered(rules, { release, buildId: fuelRelease.build_id, packages: structure.fuel_packages }, Date.parse(receivedAt));
  const event = installationReported(
    { masterNodeUid: structure.master_node_uid as string, structure, isFiltered: filtered, release },
    receivedAt,
  );
  return { event, removed };
}

@CommandHandler(SubmitInstallation)
export class SubmitInstallationHandler implements ICommandHandler<SubmitInstallation> {
  constructor(
    private readonly log: EventLog,
    private readonly claims: ClaimsRepository,
    private readonly metrics: FuelMetrics,
    @Inject(FUEL_CONFIG) private readonly config: FuelConfig,
  ) {}

  async execute({ body, receivedAt }: SubmitInstallation): Promise<InstallationOutcome> {
    const { event, removed } = buildInstallationEvent(body.installation_structure, this.config.filteringRules, receivedAt);
    // Append first (durable), then claim: see ClaimsRepository for why this order is the safe one.
    await this.log.appendOne(event);
    this.metrics.countRemovals(removed);
    return (await this.claims.claimInstallation(event.data.masterNodeUid)) ? 'created' : 'updated';
  }
}
