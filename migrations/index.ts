import { Migration20261123090000PlatformSpine } from './Migration20261123090000_platform_spine';
import { Migration20261123100000ClearlinuxRecords } from './Migration20261123100000_clearlinux_records';
import { Migration20261123103000Submissions } from './Migration20261123103000_submissions';
import { Migration20261123104000Nodes } from './Migration20261123104000_nodes';
import { Migration20261123110000FuelCollector } from './Migration20261123110000_fuel_collector';
import { Migration20261123130000ClearlinuxCrashes } from './Migration20261123130000_clearlinux_crashes';
import { Migration20261123140000ClearlinuxAnalytics } from './Migration20261123140000_clearlinux_analytics';
import { Migration20261123141000FuelReports } from './Migration20261123141000_fuel_reports';
import { Migration20261123142000FailureAlerts } from './Migration20261123142000_failure_alerts';
import { Migration20261123150000FuelExports } from './Migration20261123150000_fuel_exports';
import { Migration20261123151000ClearlinuxAnalyticsMachines } from './Migration20261123151000_clearlinux_analytics_machines';
import { Migration20261123152000ClearlinuxGuilties } from './Migration20261123152000_clearlinux_guilties';
import { Migration20261123153000ProjectorNames } from './Migration20261123153000_projector_names';
import { Migration20261123154000ClearlinuxPopulationTotals } from './Migration20261123154000_clearlinux_population_totals';
import { Migration20261124090000FailureReportsProjector } from './Migration20261124090000_failure_reports_projector';
import { Migration20261124090000SharedSettings } from './Migration20261124090000_shared_settings';
import { Migration20261204030000ProjectorVersions } from './Migration20261204030000_projector_versions';
import { Migration20261204040000ProjectorQuarantine } from './Migration20261204040000_projector_quarantine';
import { Migration20261204050000ClearlinuxReceptionPartitions } from './Migration20261204050000_clearlinux_reception_partitions';
import { Migration20261204061000InstallationSecrets } from './Migration20261204061000_installation_secrets';
import { Migration20261204180000Accounts } from './Migration20261204180000_accounts';
import { Migration20261204181000ContactReads } from './Migration20261204181000_contact_reads';

/**
 * Every migration, in order. Listed explicitly (not globbed) so the same list runs from compiled JS at
 * start-up and from TypeScript in tests.
 */
export const MIGRATIONS = [
  { name: 'Migration20261123090000_platform_spine', class: Migration20261123090000PlatformSpine },
  { name: 'Migration20261123100000_clearlinux_records', class: Migration20261123100000ClearlinuxRecords },
  { name: 'Migration20261123103000_submissions', class: Migration20261123103000Submissions },
  { name: 'Migration20261123104000_nodes', class: Migration20261123104000Nodes },
  { name: 'Migration20261123110000_fuel_collector', class: Migration20261123110000FuelCollector },
  { name: 'Migration20261123130000_clearlinux_crashes', class: Migration20261123130000ClearlinuxCrashes },
  { name: 'Migration20261123140000_clearlinux_analytics', class: Migration20261123140000ClearlinuxAnalytics },
  { name: 'Migration20261123141000_fuel_reports', class: Migration20261123141000FuelReports },
  { name: 'Migration20261123142000_failure_alerts', class: Migration20261123142000FailureAlerts },
  { name: 'Migration20261123150000_fuel_exports', class: Migration20261123150000FuelExports },
  { name: 'Migration20261123151000_clearlinux_analytics_machines', class: Migration20261123151000ClearlinuxAnalyticsMachines },
  { name: 'Migration20261123152000_clearlinux_guilties', class: Migration20261123152000ClearlinuxGuilties },
  { name: 'Migration20261123153000_projector_names', class: Migration20261123153000ProjectorNames },
  { name: 'Migration20261123154000_clearlinux_population_totals', class: Migration20261123154000ClearlinuxPopulationTotals },
  { name: 'Migration20261124090000_failure_reports_projector', class: Migration20261124090000FailureReportsProjector },
  { name: 'Migration20261124090000_shared_settings', class: Migration20261124090000SharedSettings },
  { name: 'Migration20261204030000_projector_versions', class: Migration20261204030000ProjectorVersions },
  { name: 'Migration20261204040000_projector_quarantine', class: Migration20261204040000ProjectorQuarantine },
  { name: 'Migration20261204050000_clearlinux_reception_partitions', class: Migration20261204050000ClearlinuxReceptionPartitions },
  { name: 'Migration20261204061000_installation_secrets', class: Migration20261204061000InstallationSecrets },
  { name: 'Migration20261204180000_accounts', class: Migration20261204180000Accounts },
  { name: 'Migration20261204181000_contact_reads', class: Migration20261204181000ContactReads },
];
