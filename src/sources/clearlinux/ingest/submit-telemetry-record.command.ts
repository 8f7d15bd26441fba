import { Command } from '@nestjs/cqrs';
import type { NormalisedHeaders } from '../record/header-names';
import type { RecordView } from '../record/record-view';

export type SubmitOutcome = Readonly<{ outcome: 'created' | 'duplicate'; record: RecordView }>;

/** One POST to the collector: protocol, normalised headers, raw body bytes, server reception time. */
export class SubmitTelemetryRecord extends Command<SubmitOutcome> {
  constructor(
    readonly protocol: 'v2' | 'v3',
    readonly headers: NormalisedHeaders,
    readonly body: Uint8Array,
    readonly receivedAt: string,
  ) {
    super();
  }
}
