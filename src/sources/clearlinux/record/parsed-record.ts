/** One accepted record, columns of spec clearlinux.md §6.1 minus the server-assigned `id` and `ts_reception`. */
export type ParsedRecord = Readonly<{
  classification: string;
  domain: string;
  probe: string;
  rest: string;
  severity: number;
  machineId: string;
  /** `host_type`, a.k.a. platform: stored as received (clearlinux.md §5 quirk: may be cut at the first space). */
  machineType: string;
  arch: string;
  kernelVersion: string;
  osName: string;
  build: string;
  recordFormatVersion: number;
  payloadFormatVersion: number;
  boardName: string;
  cpuModel: string;
  biosVersion: string;
  eventId: string;
  external: boolean;
  /** Creation-Timestamp, Unix seconds on the client clock (at most 12 digits, so an exact number). */
  tsCapture: number;
  payload: string;
}>;
