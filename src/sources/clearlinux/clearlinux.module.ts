import { Module, OnModuleInit } from '@nestjs/common';
import { ProjectorRuntime } from '../../event-log/projector-runtime';
import { CLEARLINUX_CONFIG, loadClearLinuxConfig } from './clearlinux.config';
import { ClearLinuxMetrics } from './clearlinux.metrics';
import { CollectorController } from './ingest/collector.controller';
import { ClearLinuxAnalyticsModule } from './analytics/clearlinux-analytics.module';
import { ClearLinuxCrashesModule } from './crashes/crashes.module';
import { MachineIdsModule } from './machine-ids/machine-ids';
import { RecordIdAllocator } from './ingest/record-id.allocator';
import { recordsProjector } from './records/records.projection';
import { RecordsApiController } from './records/records-api.controller';
import { RecordsConsoleController } from './records/records-console.controller';
import { RecordsRepository } from './records/records.repository';
import { RetentionService } from './retention/retention.service';
import { SubmitTelemetryRecordHandler } from './ingest/submit-telemetry-record.handler';
import type { Env } from '../../config/env-readers';
import { ENVIRONMENT } from '../../config/tokens';

/** Clear Linux telemetrics: collector (v2/v3), records projection, /api/records, console records, purge. */
@Module({
  imports: [ClearLinuxCrashesModule, ClearLinuxAnalyticsModule, MachineIdsModule],
  controllers: [CollectorController, RecordsApiController, RecordsConsoleController],
  providers: [
    { provide: CLEARLINUX_CONFIG, inject: [ENVIRONMENT], useFactory: (env: Env) => loadClearLinuxConfig(env) },
    ClearLinuxMetrics,
    RecordsRepository,
    RecordIdAllocator,
    SubmitTelemetryRecordHandler,
    RetentionService,
  ],
  exports: [RecordsRepository, RetentionService, CLEARLINUX_CONFIG],
})
export class ClearLinuxModule implements OnModuleInit {
  constructor(private readonly runtime: ProjectorRuntime) {}

  onModuleInit(): void {
    this.runtime.register(recordsProjector);
  }
}
