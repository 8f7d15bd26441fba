import { dropEarlierCopies, insertOnce, Projector, RowWrite } from '../../../event-log/projector';
import { parsePlatform } from '../record/platform';
import { pgTimestamp } from '../record/record-view';
import { RECORD_ACCEPTED, type RecordAccepted } from '../record/record.events';

export const RECORDS_TABLE = 'records';

/**
 * Pure: one accepted record → one `records` row (spec clearlinux.md §6.1). Idempotent: the unique key is
 * (log_event_id, ts_reception), both fixed by the event, so a redelivery or replay inserts nothing new.
 */
export function projectRecord(event: RecordAccepted): RowWrite[] {
  const d = event.data;
  const platform = parsePlatform(d.machineType);
  return [
    insertOnce(
      RECORDS_TABLE,
      {
        id: d.id,
        record_key: d.recordKey,
        log_event_id: event.id,
        classification: d.classification,
        domain: d.domain,
        probe: d.probe,
        rest: d.rest,
        severity: d.severity,
        machine_id: d.machineId,
        machine_type: d.machineType,
        platform_vendor: platform.vendor,
        platform_product: platform.product,
        platform_version: platform.version,
        arch: d.arch,
        kernel_version: d.kernelVersion,
        os_name: d.osName,
        build: d.build,
        record_format_version: d.recordFormatVersion,
        payload_format_version: d.payloadFormatVersion,
        board_name: d.boardName,
        cpu_model: d.cpuModel,
        bios_version: d.biosVersion,
        event_id: d.eventId,
        external: d.external,
        ts_capture: pgTimestamp(d.tsCapture),
        ts_reception: d.tsReception,
        payload: d.payload,
      },
      ['log_event_id', 'ts_reception'],
    ),
    dropEarlierCopies(RECORDS_TABLE, event.id, d.tsReception),
  ];
}

export const recordsProjector: Projector<RecordAccepted> = {
  name: 'clearlinux-records',
  streams: ['telemetry.records'],
  // 2: a second copy of an event (Kafka) replaces the first instead of standing beside it.
  version: 2,
  eventTypes: [RECORD_ACCEPTED],
  tables: [RECORDS_TABLE],
  project: projectRecord,
};
