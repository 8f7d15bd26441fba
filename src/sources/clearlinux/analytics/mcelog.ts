/**
 * mcelog records (spec clearlinux.md §8.5, §8.6): the kind comes from the classification only; the payload text is
 * parsed best-effort into a few columns for drill-down (the views never depend on them — an unparsable
 * payload still counts). Pure.
 */
export const MCE_KINDS = ['corrected', 'SRAO', 'SRAR', 'UCNA'] as const;
export type MceKind = (typeof MCE_KINDS)[number] | 'thermal';

export const MCE_CLASS_PREFIX = 'org.clearlinux/mce/';
export const THERMAL_CLASSIFICATION = 'org.clearlinux/mce/thermal';

/** Exact, case-sensitive (clearlinux.md §8.5): `org.clearlinux/mce/SRAO` is an MCE, `.../srao` is not. */
export function mceKindOf(classification: string): MceKind | undefined {
  if (!classification.startsWith(MCE_CLASS_PREFIX)) return undefined;
  const kind = classification.slice(MCE_CLASS_PREFIX.length);
  if (kind === 'thermal') return 'thermal';
  return (MCE_KINDS as readonly string[]).includes(kind) ? (kind as MceKind) : undefined;
}

export type MceDetails = Readonly<{
  cpu: number | null;
  bank: number | null;
  socketId: number | null;
  apicId: number | null;
  mciStatus: string | null;
  mcgStatus: string | null;
  /** e.g. `Corrected error`, `Uncorrected error`, or for thermal `Throttling enabled`. */
  errorText: string | null;
  /** The `MCA:` decoding line, e.g. `MEMORY CONTROLLER MS_CHANNEL1_ERR`. */
  mca: string | null;
  transaction: string | null;
  cpuVendor: string | null;
  cpuFamily: number | null;
  cpuModel: number | null;
}>;

const int = (s: string | undefined, radix = 10): number | null => {
  if (s === undefined) return null;
  const n = Number.parseInt(s, radix);
  return Number.isSafeInteger(n) && n >= 0 && n < 2 ** 31 ? n : null;
};
const text = (s: string | undefined): string | null => (s === undefined || s.trim() === '' ? null : s.trim().slice(0, 200));

/** Parses mcelog's text output (machine-check and thermal events alike). Unknown lines are ignored. */
export function parseMcelog(payload: string): MceDetails {
  const lines = payload.split(/\r\n|\r|\n/);
  const find = (re: RegExp): RegExpExecArray | undefined => {
    for (const line of lines) {
      const m = re.exec(line);
      if (m) return m;
    }
    return undefined;
  };
  const cpuBank = find(/^CPU (\d+) BANK (\d+)\b/);
  const thermalCpu = find(/^CPU (\d+) THERMAL EVENT\b/) ?? find(/^Processor (\d+) heated above trip temperature/);
  const status = find(/^STATUS ([0-9a-fA-F]+)\s+MCGSTATUS ([0-9a-fA-F]+)/);
  const ids = find(/\bAPICID ([0-9a-fA-F]+)\s+SOCKETID (\d+)/);
  const cpuid = find(/^CPUID Vendor (\S+) Family (\d+) Model (\d+)/);
  const error = find(/^((?:Corrected|Uncorrected) error\b.*)$/) ?? find(/(Throttling (?:enabled|disabled))/);
  return {
    cpu: int(cpuBank?.[1] ?? thermalCpu?.[1]),
    bank: int(cpuBank?.[2]),
    socketId: int(ids?.[2]),
    apicId: int(ids?.[1], 16),
    mciStatus: text(status?.[1]?.toLowerCase()),
    mcgStatus: text(status?.[2]?.toLowerCase()),
    errorText: text(error?.[1]),
    mca: text(find(/^MCA: (.*)$/)?.[1]),
    transaction: text(find(/^Transaction: (.*)$/)?.[1]),
    cpuVendor: text(cpuid?.[1]),
    cpuFamily: int(cpuid?.[2]),
    cpuModel: int(cpuid?.[3]),
  };
}
