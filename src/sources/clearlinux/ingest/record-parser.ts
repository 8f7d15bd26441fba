import { InvalidInput } from '../../../common/errors';
import { unstorableText } from '../../../common/storable-json';
import { splitClassification } from '../record/classification';
import { headerValue, normaliseHeaderName, type NormalisedHeaders } from '../record/header-names';
import { replaceNul } from './payload-decoding';
import type { ParsedRecord } from '../record/parsed-record';

/** Spec clearlinux.md §3.1: the telemetry id every client is configured with unless the operator changes it. */
export const DEFAULT_TELEMETRY_ID = '6907c830-eed9-4ce9-81ae-76daf8d88f0f';

export type ParseOptions = Readonly<{ telemetryId?: string }>;

/** Labels carried by the InvalidInput errors of this module; metrics count rejections by them. */
export const RECORD_REJECTION_REASONS = [
  'tid',
  'record_format_version',
  'missing_header',
  'severity',
  'classification',
  'machine_id',
  'timestamp',
  'arch',
  'host_type',
  'kernel_version',
  'board_name',
  'cpu_model',
  'bios_version',
  'event_id',
  'build',
  'payload_format_version',
  'json',
] as const;
export type RecordRejectionReason = (typeof RECORD_REJECTION_REASONS)[number];

/** Stored for fields a record's format version does not carry (clearlinux.md §3.1, QUIRK for board/cpu/bios). */
export const NOT_APPLICABLE = 'N/A';

/** v2 protocol (clearlinux.md §3): record fields as headers, the decoded body as payload. */
export function parseV2Record(headers: NormalisedHeaders, payloadText: string, options: ParseOptions = {}): ParsedRecord {
  return validateRecord(headers, payloadText, options);
}

/**
 * v3 protocol (clearlinux.md §5): one JSON object carrying the fields and `payload`; the TID (and
 * X-CLR-External) come from HTTP headers, or from body keys when the header is absent.
 * `bodyText` is the body decoded as for v2 (UTF-8, latin-1 fallback).
 */
export function parseV3Record(
  bodyText: string,
  headerTid: string | undefined,
  options: ParseOptions = {},
  headerExternal?: string,
): ParsedRecord {
  const fields = v3Fields(bodyText);
  if (headerTid !== undefined) fields[normaliseHeaderName(TID)] = headerTid;
  if (headerExternal !== undefined) fields[normaliseHeaderName(EXTERNAL)] = headerExternal;
  const payload = fields.payload ?? '';
  return validateRecord(fields, payload, options);
}

// Canonical spellings: they appear verbatim in the `<Header> missing` message (clearlinux.md §3.1).
const TID = 'X-Telemetry-Tid';
const RECORD_FORMAT_VERSION = 'Record-Format-Version';
const EXTERNAL = 'X-CLR-External';

/** clearlinux.md §3.1 presence-check order, with the lowest version that requires each header. */
const REQUIRED_HEADERS: ReadonlyArray<readonly [name: string, fromVersion: number]> = [
  ['Arch', 1],
  ['Build', 1],
  ['Creation-Timestamp', 1],
  ['Classification', 1],
  ['Host-Type', 1],
  ['Kernel-Version', 1],
  ['Machine-Id', 1],
  ['Severity', 1],
  [RECORD_FORMAT_VERSION, 1],
  // clearlinux.md §3.2: v1 must carry the v2 set (upstream crashed on v1 because it read System-Name anyway).
  ['Payload-Format-Version', 1],
  ['System-Name', 1],
  [TID, 1],
  ['Board-Name', 3],
  ['Bios-Version', 3],
  ['Cpu-Model', 3],
  ['Event-Id', 4],
];

const ARCHITECTURES: ReadonlySet<string> = new Set([
  'armv7l',
  'armv6l',
  'aarch64',
  'amd64',
  'sparc64',
  'ppc64',
  'i686',
  'i386',
  'x86_64',
  'ppc',
]);

/** ASCII only: upstream's `isdigit` also took e.g. `²` and then crashed converting it (clearlinux.md §3.1). */
const DIGITS = /^[0-9]+$/;
const EVENT_ID = /^[0-9a-f]{32}$/;
/** Printable ASCII or tab (clearlinux.md §3.1 Board-Name / Cpu-Model / Bios-Version). */
const PRINTABLE = /^[\x20-\x7E\t]*$/;
const CLEAR_BUILD = /^[0-9]+$/;
const OTHER_BUILD = /^[-_a-zA-Z0-9.]+$/;
const MAX_TIMESTAMP_DIGITS = 12;
const MAX_PAYLOAD_FORMAT_VERSION = 2147483646;

function fail(message: string, reason: RecordRejectionReason): never {
  throw new InvalidInput(message, reason);
}

/** Spec clearlinux.md §3.1 in its validation order; the first failing rule wins. */
function validateRecord(fields: NormalisedHeaders, payload: string, options: ParseOptions): ParsedRecord {
  const get = (name: string) => headerValue(fields, name);

  if (get(TID) !== (options.telemetryId ?? DEFAULT_TELEMETRY_ID)) fail('Telemetry ID mismatch', 'tid');

  const rfvText = get(RECORD_FORMAT_VERSION);
  const version = rfvText !== undefined && DIGITS.test(rfvText) ? Number(rfvText) : NaN;
  if (!(version >= 1 && version <= 4)) fail('Record-Format-Version is invalid', 'record_format_version');

  for (const [name, fromVersion] of REQUIRED_HEADERS) {
    if (version >= fromVersion && get(name) === undefined) {
      fail(`Record-Format-Version headers are invalid, ${name} missing`, 'missing_header');
    }
  }
  // Every header read below was required for this version, so it is present.
  const must = (name: string): string => get(name) ?? '';

  const severityText = must('Severity');
  const severity = DIGITS.test(severityText) ? Number(severityText) : NaN;
  if (!(severity >= 1 && severity <= 4)) fail('severity value is out of range', 'severity');

  const classification = must('Classification');
  if (!isValidClassification(classification)) fail('Classification value is invalid', 'classification');

  const machineId = must('Machine-Id');
  if (codePoints(machineId) > 32) fail('Machine id value is invalid', 'machine_id');

  // Upstream kept a 32-bit column and answered 500 past 2038; 12 digits stay exact as a number.
  const timestamp = must('Creation-Timestamp');
  if (!DIGITS.test(timestamp) || timestamp.length > MAX_TIMESTAMP_DIGITS) fail('timestamp is invalid', 'timestamp');

  const arch = must('Arch');
  if (!ARCHITECTURES.has(arch)) fail('architecture is invalid', 'arch');

  const hostType = must('Host-Type');
  if (codePoints(hostType) >= 250) fail('host type is invalid', 'host_type');

  const kernelVersion = must('Kernel-Version');
  if (!isValidKernelVersion(kernelVersion)) fail('kernel version is invalid', 'kernel_version');

  // QUIRK (clearlinux.md §3.1): below v3 these are stored as N/A even when sent, and so are not validated.
  let boardName = NOT_APPLICABLE;
  let cpuModel = NOT_APPLICABLE;
  let biosVersion = NOT_APPLICABLE;
  if (version >= 3) {
    boardName = must('Board-Name');
    if (!isPrintableField(boardName)) fail('board name is invalid', 'board_name');
    cpuModel = must('Cpu-Model');
    if (!isPrintableField(cpuModel)) fail('cpu model is invalid', 'cpu_model');
    biosVersion = must('Bios-Version');
    if (!isPrintableField(biosVersion)) fail('BIOS version is invalid', 'bios_version');
  }

  let eventId = NOT_APPLICABLE;
  if (version >= 4) {
    eventId = must('Event-Id');
    if (!EVENT_ID.test(eventId)) fail('Event id is invalid', 'event_id');
  }

  // os-release values are often quoted (`VERSION_ID="12"`): quotes are dropped before the check.
  const osName = removeQuotes(must('System-Name'));
  const build = removeQuotes(must('Build'));
  if (osName === 'clear-linux-os') {
    if (!CLEAR_BUILD.test(build)) fail('Clear Linux OS build version has invalid characters', 'build');
  } else if (!OTHER_BUILD.test(build)) {
    fail('Build version has invalid characters', 'build');
  }

  // Stricter than upstream's lenient int() (clearlinux.md §3.1): no sign, no spaces, one message for every failure.
  const pfvText = must('Payload-Format-Version');
  const payloadFormatVersion = DIGITS.test(pfvText) ? Number(pfvText) : NaN;
  if (!(payloadFormatVersion <= MAX_PAYLOAD_FORMAT_VERSION)) {
    fail('Payload format version outside of range supported', 'payload_format_version');
  }

  const { domain, probe, rest } = splitClassification(classification);
  return {
    classification,
    domain,
    probe,
    rest,
    severity,
    machineId,
    machineType: hostType,
    arch,
    kernelVersion,
    osName,
    build,
    recordFormatVersion: version,
    payloadFormatVersion,
    boardName,
    cpuModel,
    biosVersion,
    eventId,
    external: get(EXTERNAL) === 'true',
    tsCapture: Number(timestamp),
    payload,
  };
}

/** clearlinux.md §3.3, the client's own rule: two `/`, three non-empty parts of ≤ 40 chars, ≤ 122 in all. */
function isValidClassification(classification: string): boolean {
  const parts = classification.split('/');
  return (
    parts.length === 3 &&
    codePoints(classification) <= 122 &&
    parts.every((part) => part.length > 0 && codePoints(part) <= 40)
  );
}

/**
 * clearlinux.md §3.1: Python's `split('.', 2)` must give exactly three pieces, the first two digits only —
 * so `3.16.generic` passes and `4.12` does not. The third piece is free-form (may be empty).
 */
function isValidKernelVersion(kernelVersion: string): boolean {
  const first = kernelVersion.indexOf('.');
  const second = first < 0 ? -1 : kernelVersion.indexOf('.', first + 1);
  if (second < 0) return false;
  return DIGITS.test(kernelVersion.slice(0, first)) && DIGITS.test(kernelVersion.slice(first + 1, second));
}

function isPrintableField(value: string): boolean {
  return value.length < 200 && PRINTABLE.test(value);
}

function removeQuotes(value: string): string {
  return value.replace(/["']/g, '');
}

/** Lengths count characters (code points), as upstream's Python `len` did. */
function codePoints(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/**
 * clearlinux.md §5 rules 1–3 and 5: the body must be a JSON object; keys are normalised like header names
 * (first spelling wins); strings are kept as sent (the client's cut-at-first-space values
 * included), numbers become their decimal text, null counts as missing.
 */
/** A lone surrogate would be stored as U+FFFD in text columns and refused by jsonb ones: refused here instead. */
function storableField(name: string, value: string): string {
  const problem = unstorableText(value);
  if (problem) fail(`invalid JSON body: ${name} ${problem}`, 'json');
  return value;
}

function v3Fields(bodyText: string): Record<string, string> {
  let body: unknown;
  try {
    // JSON.parse rejects a byte-order mark, which the v2-style body decoding keeps.
    body = JSON.parse(bodyText.startsWith('\uFEFF') ? bodyText.slice(1) : bodyText);
  } catch {
    fail('invalid JSON body', 'json');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) fail('invalid JSON body', 'json');

  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [rawKey, value] of Object.entries(body)) {
    const key = normaliseHeaderName(rawKey);
    if (value === null || Object.hasOwn(fields, key)) continue;
    if (typeof value === 'string') fields[key] = storableField(rawKey, replaceNul(value));
    else if (typeof value === 'number') fields[key] = String(value);
    // A record field that is neither string nor number cannot be checked by any clearlinux.md §3.1 rule.
    else if (V3_KNOWN_KEYS.has(key)) fail('invalid JSON body', 'json');
  }
  return fields;
}

const V3_KNOWN_KEYS: ReadonlySet<string> = new Set(
  [...REQUIRED_HEADERS.map(([name]) => name), EXTERNAL, 'payload'].map(normaliseHeaderName),
);
