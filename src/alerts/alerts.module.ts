import { Logger, Module, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { AppConfig, runtimeMode } from '../config/app-config';
import { Projector } from '../event-log/projector';
import { ProjectorRuntime } from '../event-log/projector-runtime';
import { ContactCipher } from '../failure-reports/contact-cipher';
import { FailureReportsRepository } from '../failure-reports/failure-reports.repository';
import { SubmitFailureReportHandler } from '../failure-reports/submit-failure-report.handler';
import { SupportApiController } from '../failure-reports/support-api.controller';
import { SupportConsoleController } from '../failure-reports/support-console.controller';
import { SupportService } from '../failure-reports/support.service';
import { APP_CONFIG } from '../platform/tokens';
import { AlertsAdminService } from './alerts-admin.service';
import { AlertsApiController } from './alerts-api.controller';
import { AlertsConsoleController } from './alerts-console.controller';
import { ALERTS_CONFIG, AlertsConfig, loadAlertsConfig } from './alerts.config';
import { alertRulesProjector, alertsProjector } from './alerts.projection';
import { AlertsSchemas } from './alerts-schemas';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveryWorker } from './delivery.worker';
import type { Env } from '../config/env-readers';
import { ENVIRONMENT } from '../platform/tokens';

/**
 * Immediate failure reports (spec fuelstats §7) and alerting: intake (the route itself is served by the
 * Fuel collector controller, which dispatches SubmitFailureReport), support API + console, rules and
 * channels, and the delivery worker (webhook, SMTP).
 */
@Module({
  controllers: [SupportApiController, AlertsApiController, SupportConsoleController, AlertsConsoleController],
  providers: [
    { provide: ALERTS_CONFIG, inject: [ENVIRONMENT], useFactory: (env: Env) => loadAlertsConfig(env) },
    {
      provide: ContactCipher,
      useFactory: (app: AppConfig, alerts: AlertsConfig) => {
        const { cipher, generatedAt } = ContactCipher.resolve(alerts.contactEncryptionKey, app.dataDir);
        if (generatedAt) {
          const logger = new Logger('alerts');
          logger.log(`contact encryption key ${cipher.keyId} is in ${generatedAt} (set CONTACT_ENCRYPTION_KEY to choose one)`);
          if (runtimeMode(app) !== 'embedded') logger.warn('CONTACT_ENCRYPTION_KEY is not set: every instance sharing this database needs the same key');
        }
        return cipher;
      },
      inject: [APP_CONFIG, ALERTS_CONFIG],
    },
    FailureReportsRepository,
    DeliveriesRepository,
    DeliveryWorker,
    AlertsSchemas,
    AlertsAdminService,
    SupportService,
    SubmitFailureReportHandler,
  ],
  exports: [ContactCipher],
})
export class AlertsModule implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('alerts');

  constructor(
    private readonly runtime: ProjectorRuntime,
    private readonly worker: DeliveryWorker,
    private readonly admin: AlertsAdminService,
  ) {}

  onModuleInit(): void {
    const wake = () => this.worker.wake();
    this.runtime.register(alertsProjector(wake) as unknown as Projector);
    this.runtime.register(alertRulesProjector(wake) as unknown as Projector);
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
