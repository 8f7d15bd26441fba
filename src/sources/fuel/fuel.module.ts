import { Module, OnModuleInit } from '@nestjs/common';
import { ErrorFilter } from '../../common/error.filter';
import { ProjectorRuntime } from '../../event-log/projector-runtime';
import { actionLogsProjector } from './action-logs.projection';
import { ClaimsRepository } from './claims.repository';
import { CollectorController } from './collector.controller';
import { ExportsController } from './exports.controller';
import { ExportsRepository } from './exports.repository';
import { CsvExports } from './csv-exports.service';
import { JsonExportsController } from './json-exports.controller';
import { JsonExportsRepository } from './json-exports.repository';
import { FUEL_CONFIG, loadFuelConfig } from './fuel.config';
import { FuelMetrics } from './fuel.metrics';
import { FuelSchemas } from './fuel-schemas';
import { installationsProjector } from './installations.projection';
import { oswlProjector } from './oswl.projection';
import { ReportsController } from './reports.controller';
import { ReportsConsoleController } from './reports-console.controller';
import { FuelReports } from './reports.service';
import { ReportsRepository } from './reports.repository';
import { SubmitActionLogsHandler } from './submit-action-logs.handler';
import { SubmitInstallationHandler } from './submit-installation.handler';
import { SubmitOstfRunsHandler, SubmitOswlStatsHandler } from './submit-oswl-stats.handler';
import type { Env } from '../../config/env-readers';
import { ENVIRONMENT } from '../../platform/tokens';

let formatterRegistered = false;

/** Fuel anonymous statistics (spec fuelstats.md): collector, projections, reports. */
@Module({
  controllers: [ReportsController, ExportsController, JsonExportsController, ReportsConsoleController, CollectorController],
  providers: [
    { provide: FUEL_CONFIG, inject: [ENVIRONMENT], useFactory: (env: Env) => loadFuelConfig(env) },
    FuelSchemas,
    FuelMetrics,
    ClaimsRepository,
    ReportsRepository,
    FuelReports,
    ExportsRepository,
    CsvExports,
    JsonExportsRepository,
    SubmitActionLogsHandler,
    SubmitInstallationHandler,
    SubmitOswlStatsHandler,
    SubmitOstfRunsHandler,
  ],
})
export class FuelModule implements OnModuleInit {
  constructor(private readonly runtime: ProjectorRuntime) {
    // §2.2: every status ≥ 400 under the collector prefix answers {"status":"error","message":…}.
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
