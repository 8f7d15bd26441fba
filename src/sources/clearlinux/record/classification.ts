/** Classification helpers: `DOMAIN/PROBE/REST` (spec clearlinux.md §3.3) and the class lists the views use. */

export type ClassificationParts = Readonly<{ domain: string; probe: string; rest: string }>;

/** Spec clearlinux.md §7.1: records whose payload carries a backtrace; used everywhere (not just crash/clr). */
export const BACKTRACE_CLASSIFICATIONS = [
  'org.clearlinux/crash/clr',
  'org.clearlinux/kernel/bug',
  'org.clearlinux/kernel/stackoverflow',
  'org.clearlinux/kernel/warning',
] as const;

/** Spec clearlinux.md §7.1: counted in the Crashes pie, never parsed. */
export const OTHER_CRASH_CLASSIFICATIONS = [
  'org.clearlinux/crash/unknown',
  'org.clearlinux/crash/clr-build',
  'org.clearlinux/crash/error',
] as const;

/** The seven classes of the Crashes pie (clearlinux.md §8.4). */
export const CRASH_CLASSIFICATIONS = [...BACKTRACE_CLASSIFICATIONS, ...OTHER_CRASH_CLASSIFICATIONS] as const;

/** Spec clearlinux.md §8.5 (exact, case-sensitive). */
export const MCE_CLASSIFICATIONS = [
  'org.clearlinux/mce/corrected',
  'org.clearlinux/mce/SRAO',
  'org.clearlinux/mce/SRAR',
  'org.clearlinux/mce/UCNA',
] as const;

/** Spec clearlinux.md §8.6. */
export const THERMAL_CLASSIFICATION = 'org.clearlinux/mce/thermal';

/** Spec clearlinux.md §8.8. */
export const HEARTBEAT_CLASSIFICATION = 'org.clearlinux/heartbeat/ping';

export function isBacktraceClassification(classification: string): boolean {
  return (BACKTRACE_CLASSIFICATIONS as readonly string[]).includes(classification);
}

export function isCrashClassification(classification: string): boolean {
  return (CRASH_CLASSIFICATIONS as readonly string[]).includes(classification);
}

/**
 * Split at the first two `/`. A validated classification has exactly two (clearlinux.md §3.3); for anything
 * else the missing parts are '' and any further `/` stay in `rest`.
 */
export function splitClassification(classification: string): ClassificationParts {
  const first = classification.indexOf('/');
  if (first < 0) return { domain: classification, probe: '', rest: '' };
  const second = classification.indexOf('/', first + 1);
  if (second < 0) return { domain: classification.slice(0, first), probe: classification.slice(first + 1), rest: '' };
  return {
    domain: classification.slice(0, first),
    probe: classification.slice(first + 1, second),
    rest: classification.slice(second + 1),
  };
}

/** The escape character the LIKE pattern uses: run it as `classification LIKE ? ESCAPE '\'`. */
export const LIKE_ESCAPE = '\\';

/**
 * Records filter (clearlinux.md §8.1): `DOMAIN/*` and `DOMAIN/PROBE/*` mean "any suffix"; anything else is exact.
 * Returns a LIKE pattern in which only the wildcard is special, so `%`, `_` and `\` inside a
 * classification match themselves.
 */
export function classificationPatternToLike(pattern: string): string {
  if (pattern.endsWith('/*')) return `${escapeLike(pattern.slice(0, -1))}%`;
  return escapeLike(pattern);
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => LIKE_ESCAPE + c);
}

/**
 * Choices for the classification drop-down (clearlinux.md §8.1): every stored classification plus its
 * `DOMAIN/*` and `DOMAIN/PROBE/*` forms, sorted, without duplicates.
 */
export function classificationFilterChoices(classifications: Iterable<string>): string[] {
  const choices = new Set<string>();
  for (const classification of classifications) {
    const { domain, probe } = splitClassification(classification);
    choices.add(classification);
    choices.add(`${domain}/*`);
    choices.add(`${domain}/${probe}/*`);
  }
  return [...choices].sort();
}
