import type { Projector, RowWrite } from '../../../event-log/projector';
import { pgTimestamp } from '../record-view';
import { RECORD_ACCEPTED, type RecordAccepted } from '../record.events';
import { mceKindOf, parseMcelog } from './mcelog';

export const MCE_EVENTS_TABLE = 'clr_mce_events';
export const HEARTBEATS_TABLE = 'clr_heartbeats';
export const HEARTBEAT_CLASSIFICATION = 'org.clearlinux/heartbeat/ping';
export const CLEAR_LINUX_OS = 'clear-linux-os';

/**
 * Pure: the rows the MCE, Thermal and Population views read, keyed by capture time (the clock those
 * views use, spec §8.5–§8.8; `records` is partitioned by reception time). Other records project nothing.
 * Idempotent like the records projection: unique (log_event_id, ts_capture).
 */
export function projectAnalytics(event: RecordAccepted): RowWrite[] {
  const d = event.data;
  const tsCapture = pgTimestamp(d.tsCapture);
  const kind = mceKindOf(d.classification);
  if (kind) {
    const p = parseMcelog(d.payload);
    return [
      {
        kind: 'insert',
        table: MCE_EVENTS_TABLE,
        rows: [
          {
            record_id: d.id,
            log_event_id: event.id,
            ts_capture: tsCapture,
            ts_reception: d.tsReception,
            machine_id: d.machineId,
            build: d.build,
            kind,
            cpu: p.cpu,
            bank: p.bank,
            socket_id: p.socketId,
            apic_id: p.apicId,
            mci_status: p.mciStatus,
            mcg_status: p.mcgStatus,
            error_text: p.errorText,
            mca: p.mca,
            transaction: p.transaction,
            cpu_vendor: p.cpuVendor,
            cpu_family: p.cpuFamily,
            cpu_model: p.cpuModel,
          },
        ],
        conflict: { target: ['log_event_id', 'ts_capture'], action: 'nothing' },
      },
    ];
  }
  if (d.classification === HEARTBEAT_CLASSIFICATION && d.osName === CLEAR_LINUX_OS) {
    return [
      {
        kind: 'insert',
        table: HEARTBEATS_TABLE,
        rows: [{ log_event_id: event.id, ts_capture: tsCapture, machine_id: d.machineId, build: d.build, external: d.external }],
        conflict: { target: ['log_event_id', 'ts_capture'], action: 'nothing' },
      },
    ];
  }
  return [];
}

export const analyticsProjector: Projector<RecordAccepted> = {
  name: 'clearlinux-analytics',
  streams: ['telemetry.records'],
  eventTypes: [RECORD_ACCEPTED],
  tables: [MCE_EVENTS_TABLE, HEARTBEATS_TABLE],
  project: projectAnalytics,
};
