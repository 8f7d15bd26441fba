import { Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG } from '../../config/tokens';
import { AppConfig, ConfigError, runtimeMode } from '../../config/app-config';
import { ProjectorRuntime } from '../../event-log/projector-runtime';
import { GEO_LOOKUP, loadGeoLookup } from './intake/geoip';
import { SubmissionSchemaRegistry } from './intake/schema-registry';
import { SubmitDocumentHandler } from './intake/submit-document.handler';
import { installSubmitLimits } from './intake/submit-limits.hook';
import { SubmissionsConsoleController } from './documents/submissions-console.controller';
import { SubmissionsReadController } from './documents/submissions-read.controller';
import { SUBMISSIONS_CONFIG, SubmissionsConfig, loadSubmissionsConfig } from './submissions.config';
import { submissionDocumentsProjector, submissionErrorsProjector } from './documents/submissions.projection';
import { SubmissionsRepository } from './documents/submissions.repository';
import { SubmitController, sendOutcome, submitCommand } from './intake/submit.controller';
import type { Env } from '../../config/env-readers';
import { ENVIRONMENT } from '../../config/tokens';

/** Generic document submission (spec part A): `/submit/...` ingest, schema registry, projections, read API. */
@Module({
  controllers: [SubmitController, SubmissionsReadController, SubmissionsConsoleController],
  providers: [
    { provide: SUBMISSIONS_CONFIG, inject: [ENVIRONMENT], useFactory: (env: Env) => loadSubmissionsConfig(env) },
    { provide: SubmissionSchemaRegistry, useFactory: () => new SubmissionSchemaRegistry() },
    {
      provide: GEO_LOOKUP,
      inject: [SUBMISSIONS_CONFIG],
      useFactory: (c: SubmissionsConfig) => loadGeoLookup(c.geoipDbPath, c.geoipCityMinPopulation, (m) => new Logger('submissions').warn(m)),
    },
    SubmitDocumentHandler,
    SubmissionsRepository,
  ],
  exports: [SubmissionsRepository],
})
export class SubmissionsModule implements OnModuleInit {
  constructor(
    private readonly runtime: ProjectorRuntime,
    private readonly adapterHost: HttpAdapterHost,
    private readonly commands: CommandBus,
    @Inject(SUBMISSIONS_CONFIG) private readonly config: SubmissionsConfig,
    @Inject(APP_CONFIG) appConfig: AppConfig,
  ) {
    // The dedupe window is a minimum (spec submissions-and-nodes.md §A.6): the Postgres log remembers ids forever, the Kafka log
    // for DEDUPE_WINDOW_HOURS, which must therefore cover it.
    if (runtimeMode(appConfig) === 'full' && config.dedupeWindowS > appConfig.dedupeWindowHours * 3600) {
      throw new ConfigError('SUBMIT_DEDUPE_WINDOW_S must not exceed DEDUPE_WINDOW_HOURS × 3600 (the Kafka log dedupe horizon)');
    }
  }

  onModuleInit(): void {
    this.runtime.register(submissionDocumentsProjector);
    this.runtime.register(submissionErrorsProjector);
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    installSubmitLimits(
      fastify,
      this.config.maxBodyBytes,
      (req, declared) => this.commands.execute(submitCommand(req, undefined, declared)),
      sendOutcome,
    );
  }
}
