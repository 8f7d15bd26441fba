import { Logger, Module, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { ProjectorRuntime } from '../event-log/projector-runtime';
import { FailureReportsCommitted } from '../sources/fuel/failure-reports/failure-reports.projection';
import { FailureReportsModule } from '../sources/fuel/failure-reports/failure-reports.module';
import { AlertsAdminService } from './alerts-admin.service';
import { AlertsApiController } from './alerts-api.controller';
import { AlertsConsoleController } from './alerts-console.controller';
import { ALERTS_CONFIG, loadAlertsConfig } from './alerts.config';
import { alertRulesProjector, alertsProjector } from './alerts.projection';
import { AlertsSchemas } from './alerts-schemas';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveryWorker } from './delivery.worker';
import { DeliveriesOfReportHandler } from './deliveries-of-report.handler';
import type { Env } from '../config/env-readers';
import { ENVIRONMENT } from '../config/tokens';

/**
 * Alerting: rules and channels (API + console), the alerts projector (failure-report and crash-group
 * triggers) and the delivery worker (webhook, SMTP) with its audit trail, which it also answers to the
 * support detail of a failure report (DeliveriesOfReport). The reports themselves are FailureReportsModule's.
 */
@Module({
  imports: [FailureReportsModule],
  controllers: [AlertsApiController, AlertsConsoleController],
  providers: [
    { provide: ALERTS_CONFIG, inject: [ENVIRONMENT], useFactory: (env: Env) => loadAlertsConfig(env) },
    DeliveriesRepository,
    DeliveryWorker,
    DeliveriesOfReportHandler,
    AlertsSchemas,
    AlertsAdminService,
  ],
})
export class AlertsModule implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('alerts');

  constructor(
    private readonly runtime: ProjectorRuntime,
    private readonly worker: DeliveryWorker,
    private readonly admin: AlertsAdminService,
    private readonly reportsCommitted: FailureReportsCommitted,
  ) {}

  onModuleInit(): void {
    const wake = () => this.worker.wake();
    this.runtime.register(alertsProjector(wake));
    this.runtime.register(alertRulesProjector(wake));
    // A failure-report trigger waits for its report row (another projector's); that row's commit wakes the worker.
    this.reportsCommitted.subscribe(wake);
  }

  /** In the background: the event log starts in the platform's own bootstrap hook. */
  onApplicationBootstrap(): void {
    void this.seedDefaultRule();
  }

  private async seedDefaultRule(): Promise<void> {
    for (let attempt = 1; attempt <= 20; attempt++) {
      try {
        await this.admin.seedDefaultRule();
        return;
      } catch (err) {
        if (attempt === 20) this.logger.warn(`could not create the default alert rule: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}
