import type { RecordAcceptedData } from './record.events';

/** Record JSON (spec clearlinux.md §6.2): the 201/200 body and each /api/records element. */
export type RecordView = Readonly<{
  id: number;
  machine_id: string;
  machine_type: string;
  arch: string;
  build: string;
  kernel_version: string;
  ts_capture: string;
  ts_reception: string;
  severity: number;
  classification: string;
  record_format_version: number;
  payload: string;
  board_name: string;
  bios_version: string;
  cpu_model: string;
  event_id: string;
  external: boolean;
  os_name: string;
  payload_format_version: number;
}>;

/** A `records` row as the repository selects it (timestamps as Unix seconds, id possibly a bigint string). */
export type RecordRow = Omit<RecordView, 'id' | 'ts_capture' | 'ts_reception'> &
  Readonly<{ id: string | number; ts_capture_s: string | number; ts_reception_s: string | number }>;

/** `YYYY-MM-DD HH:MM:SS UTC`, whole seconds (clearlinux.md §6.2). */
export function formatTimestamp(unixSeconds: number): string {
  const d = new Date(Math.floor(unixSeconds) * 1000);
  const year = d.getUTCFullYear();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(year).padStart(4, '0')}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** Text PostgreSQL parses as timestamptz for every 12-digit Unix time (years past 9999 included). */
export function pgTimestamp(unixSeconds: number): string {
  return formatTimestamp(unixSeconds).replace(/ UTC$/, '+00');
}

export function viewFromRow(r: RecordRow): RecordView {
  return {
    id: Number(r.id),
    machine_id: r.machine_id,
    machine_type: r.machine_type,
    arch: r.arch,
    build: r.build,
    kernel_version: r.kernel_version,
    ts_capture: formatTimestamp(Number(r.ts_capture_s)),
    ts_reception: formatTimestamp(Number(r.ts_reception_s)),
    severity: Number(r.severity),
    classification: r.classification,
    record_format_version: Number(r.record_format_version),
    payload: r.payload,
    board_name: r.board_name,
    bios_version: r.bios_version,
    cpu_model: r.cpu_model,
    event_id: r.event_id,
    external: r.external,
    os_name: r.os_name,
    payload_format_version: Number(r.payload_format_version),
  };
}

export function viewFromEvent(d: RecordAcceptedData): RecordView {
  return {
    id: d.id,
    machine_id: d.machineId,
    machine_type: d.machineType,
    arch: d.arch,
    build: d.build,
    kernel_version: d.kernelVersion,
    ts_capture: formatTimestamp(d.tsCapture),
    ts_reception: formatTimestamp(Date.parse(d.tsReception) / 1000),
    severity: d.severity,
    classification: d.classification,
    record_format_version: d.recordFormatVersion,
    payload: d.payload,
    board_name: d.boardName,
    bios_version: d.biosVersion,
    cpu_model: d.cpuModel,
    event_id: d.eventId,
    external: d.external,
    os_name: d.osName,
    payload_format_version: d.payloadFormatVersion,
  };
}
