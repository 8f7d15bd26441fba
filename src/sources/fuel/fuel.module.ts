import { Module, OnModuleInit } from '@nestjs/common';
import { ErrorFilter } from '../../common/error.filter';
import { ProjectorRuntime } from '../../event-log/projector-runtime';
import { actionLogsProjector } from './projections/action-logs.projection';
import { ClaimsRepository } from './intake/claims.repository';
import { CollectorController } from './intake/collector.controller';
import { COLLECTOR_ENDPOINTS } from './intake/collector-endpoint';
import { FailureReportIntake } from './failure-reports/failure-report-intake';
import { FailureReportsModule } from './failure-reports/failure-reports.module';
import { CsvExportsController } from './exports/csv-exports.controller';
import { CsvExportsRepository } from './exports/csv-exports.repository';
import { CsvExports } from './exports/csv-exports.service';
import { JsonExportsController } from './exports/json-exports.controller';
import { JsonExportsRepository } from './exports/json-exports.repository';
import { FUEL_CONFIG, loadFuelConfig } from './fuel.config';
import { FuelMetrics } from './fuel.metrics';
import { FuelSchemas } from './fuel-schemas';
import { installationsProjector } from './projections/installations.projection';
import { oswlProjector } from './projections/oswl.projection';
import { ReportsController } from './reports/reports.controller';
import { ReportsConsoleController } from './reports/reports-console.controller';
import { FuelReports } from './reports/reports.service';
import { SubmitActionLogsHandler } from './intake/submit-action-logs.handler';
import { SubmitInstallationHandler } from './intake/submit-installation.handler';
import { SubmitOstfRunsHandler, SubmitOswlStatsHandler } from './intake/submit-oswl-stats.handler';
import type { Env } from '../../config/env-readers';
import { ENVIRONMENT } from '../../config/tokens';

let formatterRegistered = false;

/** Fuel anonymous statistics (spec fuelstats.md): collector, projections, reports, exports; failure reports in their own module. */
@Module({
  imports: [FailureReportsModule],
  controllers: [ReportsController, CsvExportsController, JsonExportsController, ReportsConsoleController, CollectorController],
  providers: [
    { provide: FUEL_CONFIG, inject: [ENVIRONMENT], useFactory: (env: Env) => loadFuelConfig(env) },
    FuelSchemas,
    { provide: COLLECTOR_ENDPOINTS, inject: [FailureReportIntake], useFactory: (failureReports: FailureReportIntake) => [failureReports] },
    FuelMetrics,
    ClaimsRepository,
    FuelReports,
    CsvExportsRepository,
    CsvExports,
    JsonExportsRepository,
    SubmitActionLogsHandler,
    SubmitInstallationHandler,
    SubmitOswlStatsHandler,
    SubmitOstfRunsHandler,
  ],
  // The contact cipher, for the platform's shared-settings check.
  exports: [FailureReportsModule],
})
export class FuelModule implements OnModuleInit {
  constructor(private readonly runtime: ProjectorRuntime) {
    // fuelstats.md §2.2: every status ≥ 400 under the collector prefix answers {"status":"error","message":…}.
    if (!formatterRegistered) {
      ErrorFilter.registerFormatter('/api/v1/', (_status, message) => ({ status: 'error', message }));
      formatterRegistered = true;
    }
  }

  onModuleInit(): void {
    this.runtime.register(actionLogsProjector);
    this.runtime.register(installationsProjector);
    this.runtime.register(oswlProjector);
  }
}
