import type { FuelReport } from './fuel-report';
import { DEPLOYMENT_FAILURES_REPORT } from './deployment-failures.report';
import { DEPLOYMENT_TIME_REPORT } from './deployment-time.report';
import { HARDWARE_REPORT } from './hardware.report';
import { INSTALLATIONS_REPORT } from './installations.report';
import { NODE_ROLES_REPORT } from './node-roles.report';
import { OS_REPORT } from './os.report';
import { OSTF_REPORT } from './ostf.report';
import { RELEASES_REPORT } from './releases.report';

/**
 * Every Fuel report, each served at `GET /api/v1/json/report/<name>` by ReportsController; those with a
 * console part are the tabs of /console/fuel/reports, in this order. A new report is one `<name>.report.ts`
 * (SQL, maths, answer type, view) listed here.
 */
export const FUEL_REPORTS: readonly FuelReport[] = [
  OS_REPORT,
  DEPLOYMENT_TIME_REPORT,
  RELEASES_REPORT,
  HARDWARE_REPORT,
  DEPLOYMENT_FAILURES_REPORT,
  NODE_ROLES_REPORT,
  OSTF_REPORT,
  INSTALLATIONS_REPORT,
];

export type ConsoleReport = FuelReport & Readonly<{ console: NonNullable<FuelReport['console']> }>;

/** The fuelstats.md §6 seed reports R1–R7, as the console shows them. */
export const CONSOLE_REPORTS: readonly ConsoleReport[] = FUEL_REPORTS.filter((r): r is ConsoleReport => r.console !== undefined);
