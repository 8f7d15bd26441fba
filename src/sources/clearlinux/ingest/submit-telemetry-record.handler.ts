import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AppError, LogUnavailable } from '../../../common/errors';
import { EventLog } from '../../../event-log/event-log';
import { CLEARLINUX_CONFIG, ClearLinuxConfig } from '../clearlinux.config';
import { ClearLinuxMetrics } from '../clearlinux.metrics';
import { headerValue } from '../record/header-names';
import { decodePayload } from './payload-decoding';
import type { ParsedRecord } from '../record/parsed-record';
import { parseV2Record, parseV3Record } from './record-parser';
import { RecordIdAllocator } from './record-id.allocator';
import { recordAccepted } from '../record/record.events';
import { viewFromEvent } from '../record/record-view';
import { RecordsRepository } from '../records/records.repository';
import { SubmitOutcome, SubmitTelemetryRecord } from './submit-telemetry-record.command';

/**
 * Validate (clearlinux.md §3, §5) → allocate the record id → append `clearlinux.record.accepted` (event id from the
 * record key, clearlinux.md §4) → 201. When the log refuses the event id the record was accepted before: answer 200
 * with the ORIGINAL stored record (its id), waiting briefly if the first copy is not visible yet
 * (concurrent POSTs, or Kafka mode where the row appears only after the projector ran).
 */
@CommandHandler(SubmitTelemetryRecord)
export class SubmitTelemetryRecordHandler implements ICommandHandler<SubmitTelemetryRecord, SubmitOutcome> {
  private readonly logger = new Logger('clearlinux');

  constructor(
    private readonly log: EventLog,
    private readonly ids: RecordIdAllocator,
    private readonly records: RecordsRepository,
    private readonly metrics: ClearLinuxMetrics,
    @Inject(CLEARLINUX_CONFIG) private readonly config: ClearLinuxConfig,
  ) {}

  async execute(cmd: SubmitTelemetryRecord): Promise<SubmitOutcome> {
    let parsed: ParsedRecord;
    let payloadText: string;
    try {
      payloadText = decodePayload(cmd.body, {
        contentEncoding: headerValue(cmd.headers, 'content-encoding'),
        maxBytes: this.config.maxPayloadBytes,
      });
      const options = { telemetryId: this.config.telemetryId };
      parsed =
        cmd.protocol === 'v2'
          ? parseV2Record(cmd.headers, payloadText, options)
          : parseV3Record(payloadText, headerValue(cmd.headers, 'x-telemetry-tid'), options, headerValue(cmd.headers, 'x-clr-external'));
    } catch (err) {
      if (err instanceof AppError) {
        this.metrics.rejected.inc({ reason: err.reason });
        this.logger.debug(`record rejected: ${err.reason}`);
      }
      throw err;
    }

    const id = await this.ids.next().catch((err: Error) => {
      throw new LogUnavailable(undefined, undefined, err);
    });
    const event = recordAccepted(parsed, id, cmd.receivedAt, { protocol: cmd.protocol, headers: cmd.headers, payload: payloadText });
    const { appended } = await this.log.appendOne(event);
    if (appended) {
      this.metrics.accepted.inc();
      return { outcome: 'created', record: viewFromEvent(event.data) };
    }
    this.metrics.duplicate.inc();
    return { outcome: 'duplicate', record: await this.original(event.id) };
  }

  private async original(logEventId: string) {
    const deadline = Date.now() + this.config.duplicateWaitMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      const stored = await this.records.storedRecord(logEventId);
      if (stored) return stored;
      if (Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, delay));
    }
    // The log has the record but it is not readable yet: the client retries, and then gets its 200.
    throw new LogUnavailable('record is being stored, retry later', 2);
  }
}
