import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { AppConfig, runtimeMode } from '../../../config/app-config';
import type { Env } from '../../../config/env-readers';
import { ProjectorRuntime } from '../../../event-log/projector-runtime';
import { APP_CONFIG, ENVIRONMENT } from '../../../config/tokens';
import { FuelSchemas } from '../fuel-schemas';
import { ContactCipher } from './contact-cipher';
import { ContactReadsController } from './contact-reads.controller';
import { ContactReadsRepository } from './contact-reads.repository';
import { FailureReportIntake } from './failure-report-intake';
import { FailureReportsCollectorController } from './failure-reports-collector.controller';
import { FAILURE_REPORTS_CONFIG, FailureReportsConfig, loadFailureReportsConfig } from './failure-reports.config';
import { FailureReportsCommitted, failureReportsProjector } from './failure-reports.projection';
import { FailureReportsRepository } from './failure-reports.repository';
import { SubmitFailureReportHandler } from './submit-failure-report.handler';
import { SupportApiController } from './support-api.controller';
import { SupportConsoleController } from './support-console.controller';
import { SupportService } from './support.service';

/**
 * Immediate failure reports (spec fuelstats.md §7): intake, the report tables and their projector, the support
 * API and console. Notifications are not made here: AlertsModule consumes the report events for that, and
 * answers DeliveriesOfReport for the support detail. The contact cipher is shared with it (webhook secrets).
 */
@Module({
  controllers: [FailureReportsCollectorController, SupportApiController, SupportConsoleController, ContactReadsController],
  providers: [
    { provide: FAILURE_REPORTS_CONFIG, inject: [ENVIRONMENT], useFactory: (env: Env) => loadFailureReportsConfig(env) },
    {
      provide: ContactCipher,
      useFactory: (app: AppConfig, config: FailureReportsConfig) => {
        const { cipher, generatedAt } = ContactCipher.resolve(config.contactEncryptionKey, app.dataDir);
        if (generatedAt) {
          const logger = new Logger('alerts');
          logger.log(`contact encryption key ${cipher.keyId} is in ${generatedAt} (set CONTACT_ENCRYPTION_KEY to choose one)`);
          if (runtimeMode(app) !== 'embedded') logger.warn('CONTACT_ENCRYPTION_KEY is not set: every instance sharing this database needs the same key');
        }
        return cipher;
      },
      inject: [APP_CONFIG, FAILURE_REPORTS_CONFIG],
    },
    FuelSchemas,
    FailureReportsRepository,
    ContactReadsRepository,
    FailureReportsCommitted,
    FailureReportIntake,
    SubmitFailureReportHandler,
    SupportService,
  ],
  exports: [ContactCipher, FailureReportIntake, FailureReportsCommitted],
})
export class FailureReportsModule implements OnModuleInit {
  constructor(
    private readonly runtime: ProjectorRuntime,
    private readonly committed: FailureReportsCommitted,
  ) {}

  onModuleInit(): void {
    this.runtime.register(failureReportsProjector(() => this.committed.notify()));
  }
}
