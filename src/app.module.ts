import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { AdminController } from './admin/admin.controller';
import { QuarantineConsoleController } from './admin/quarantine-console.controller';
import { AdminToken } from './auth/admin-token';
import { AuthModule } from './auth/auth.module';
import { ErrorFilter } from './common/error.filter';
import { AppConfig, runtimeMode } from './config/app-config';
import { checkSharedSettings, keyedFingerprint, sealedCanary } from './coordination/shared-settings';
import { Database } from './database/database';
import { ContactCipher } from './sources/fuel/failure-reports/contact-cipher';
import { APP_CONFIG } from './config/tokens';
import type { Env } from './config/env-readers';
import { ConsoleController } from './console/console.controller';
import { HealthController } from './health/health.controller';
import { Metrics } from './metrics/metrics';
import { MetricsController } from './metrics/metrics.controller';
import { PlatformModule } from './platform/platform.module';
import { NodesModule } from './sources/nodes/nodes.module';
import { SubmissionsModule } from './sources/submissions/submissions.module';
import { ClearLinuxModule } from './sources/clearlinux/clearlinux.module';
import { FuelModule } from './sources/fuel/fuel.module';
import { PluginViewsModule } from './plugin-views/plugin-views.module';
import { AlertsModule } from './alerts/alerts.module';
import { DropAccountingModule } from './drop-accounting/drop-accounting.module';
import { httpLogOptions, logDestination, loggerOptions } from './logging/log-options';

/** `env`: where the source and alert modules read their own settings (`process.env` outside tests). */
export type AppModuleOptions = Readonly<{ config: AppConfig; env: Env; adminToken: AdminToken; metrics?: Metrics }>;

const SHARED_SETTINGS_CHECKED = Symbol('SHARED_SETTINGS_CHECKED');

@Module({})
export class AppModule {
  static forRoot({ config, env, adminToken, metrics }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // One pino logger for Nest, the access log (pino-http) and kafkajs; createApp makes it the app's logger.
        LoggerModule.forRoot({
          pinoHttp: [{ ...loggerOptions(config), ...httpLogOptions() }, logDestination(config)],
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
        }),
        PlatformModule.forRoot(config, env, metrics), AuthModule.forRoot(adminToken), CqrsModule.forRoot(), TerminusModule.forRoot({ logger: false }), SubmissionsModule, NodesModule, ClearLinuxModule, FuelModule, PluginViewsModule, AlertsModule, DropAccountingModule],
      controllers: [HealthController, MetricsController, AdminController, QuarantineConsoleController, ConsoleController],
      providers: [
        { provide: APP_FILTER, useClass: ErrorFilter },
        // Instances sharing a database must share their secrets: checked before anything starts, refused on a mismatch.
        {
          provide: SHARED_SETTINGS_CHECKED,
          useFactory: async (cfg: AppConfig, db: Database, token: AdminToken, cipher: ContactCipher) => {
            if (runtimeMode(cfg) === 'embedded') return;
            await checkSharedSettings(db, [
              sealedCanary('contact-encryption-key', 'CONTACT_ENCRYPTION_KEY', cipher),
              keyedFingerprint('admin-token', 'ADMIN_TOKEN', token.sessionValue()),
            ]);
          },
          inject: [APP_CONFIG, Database, AdminToken, ContactCipher],
        },
      ],
    };
  }
}
