/** The telemetrics client's TID header value (spec clearlinux.md §1.1). */
export const TID = '6907c830-eed9-4ce9-81ae-76daf8d88f0f';

/** A valid record-format-v4 header set, in the order and spelling the real client uses (spec clearlinux.md §1.1). */
export const V4_HEADERS: Readonly<Record<string, string>> = {
  record_format_version: '4',
  classification: 'org.clearlinux/crash/clr',
  severity: '2',
  machine_id: '66c196ce4222dd761470da5e7e35f6f1',
  creation_timestamp: '1505235249',
  arch: 'x86_64',
  host_type: 'Intel Corporation|NUC6i5SYB|H81131-502',
  build: '29940',
  kernel_version: '5.0.7-744.native',
  payload_format_version: '1',
  system_name: 'clear-linux-os',
  board_name: 'NUC6i5SYB|Intel Corporation',
  cpu_model: 'Intel(R) Core(TM) i5-6260U CPU @ 1.80GHz',
  bios_version: 'SYSKLi35.86A.0045.2016.0304.1712',
  event_id: '39cc109a1079df96376693ebc7a0f632',
  'X-Telemetry-TID': TID,
};

/** V4_HEADERS with some values replaced, keeping the client's order; `undefined` removes a header. */
export function v4Headers(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const merged: Record<string, string | undefined> = { ...V4_HEADERS, ...overrides };
  return Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
}
