import { InvalidInput } from '../../../common/errors';
import type { ApiRecordsFilter } from './records.repository';

const DIGITS = /^[0-9]+$/;
const MAX_WINDOW_SECONDS = 30 * 86400;
/** Upstream code (not its README, which says 10 000): clearlinux.md §9. */
export const DEFAULT_API_LIMIT = 1000;
const MAX_TS = 999_999_999_999; // Creation-Timestamp has at most 12 digits (clearlinux.md §3.1)
const MAX_BIGINT = 9223372036854775807n;

/**
 * Spec clearlinux.md §9, pure: query string → filter. First value of a repeated parameter wins, an empty value is
 * invalid, unknown parameters are ignored; checks run in the table's order (first failure answers).
 */
export function parseApiRecordsQuery(query: URLSearchParams): ApiRecordsFilter {
  const get = (name: string) => query.get(name) ?? undefined;
  const bad = (message: string): never => {
    throw new InvalidInput(message, 'query');
  };

  let severity: number | undefined;
  const sev = get('severity');
  if (sev !== undefined) {
    if (!DIGITS.test(sev) || Number(sev) < 1 || Number(sev) > 4) bad('Severity should be a numeric value');
    severity = Number(sev);
  }

  const classification = get('classification');
  if (classification !== undefined && !isApiClassification(classification)) bad('Classification value is invalid');

  let build = get('build');
  if (build !== undefined) {
    build = build.replace(/["']/g, '');
    if (build === '' || build.length >= 200 || !/^[\x20-\x7E]+$/.test(build)) bad('Build value is invalid');
  }

  const machineId = get('machine_id');
  if (machineId !== undefined && (machineId === '' || [...machineId].length > 32)) bad('Machine id value is invalid');

  let windowSeconds = MAX_WINDOW_SECONDS;
  const days = get('created_in_days');
  const secs = get('created_in_sec');
  if (days !== undefined) {
    if (!DIGITS.test(days)) bad('Created (in days) value is invalid');
    windowSeconds = Math.min(Number(days) * 86400, MAX_WINDOW_SECONDS);
  } else if (secs !== undefined) {
    if (!DIGITS.test(secs)) bad('Created (in seconds) value is invalid');
    windowSeconds = Math.min(Number(secs), MAX_WINDOW_SECONDS);
  }

  let fromId: string | undefined;
  const from = get('from_id');
  if (from !== undefined) {
    if (!DIGITS.test(from)) bad('Provided record id value is invalid');
    fromId = (BigInt(from) > MAX_BIGINT ? MAX_BIGINT : BigInt(from)).toString();
  }

  let tsCaptureAfter: number | undefined;
  const ts = get('ts_capture');
  if (ts !== undefined) {
    if (!DIGITS.test(ts)) bad('Time stamp from record capture');
    tsCaptureAfter = ts.length > 12 ? MAX_TS : Number(ts);
  }

  let limit = DEFAULT_API_LIMIT;
  const lim = get('limit');
  if (lim !== undefined) {
    // Numeric, not upstream's string comparison with "1000" (UPSTREAM BUG).
    if (!DIGITS.test(lim) || lim.length > 4 || Number(lim) < 1 || Number(lim) > 1000) bad('Record limit value is invalid');
    limit = Number(lim);
  }

  return { severity, classification, build, machineId, windowSeconds, fromId, tsCaptureAfter, limit };
}

/** clearlinux.md §3.3 rule plus the README's 140-character cap. */
function isApiClassification(c: string): boolean {
  const parts = c.split('/');
  const len = (s: string) => [...s].length;
  return parts.length === 3 && len(c) <= 122 && len(c) <= 140 && parts.every((p) => p.length > 0 && len(p) <= 40);
}
