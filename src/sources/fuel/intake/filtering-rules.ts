/**
 * Release filtering rules (spec fuelstats.md §3.7): which installations are excluded from reports (`is_filtered`).
 * Parsed once from configuration into a normal form, then evaluated per structure (pure, `now` given).
 */
export type ReleaseRules =
  | Readonly<{ kind: 'keep_all' }>
  | Readonly<{ kind: 'filter_all' }>
  /** key: `build:<build_id>` or `packages:<JSON of the sorted package list>`; value: from date (ms) or null */
  | Readonly<{ kind: 'builds'; builds: ReadonlyMap<string, number | null> }>;
export type FilteringRules = ReadonlyMap<string, ReleaseRules> | null;

export class FilteringRulesError extends Error {}

const FROM_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(?:(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?)?)?$/;

/** `YYYY-MM-DD`, `…T`, `…THH`, `…THH:MM`, `…THH:MM:SS`, `…THH:MM:SS.ffffff`, naive UTC → epoch ms. */
export function parseFromDate(text: string): number {
  const m = FROM_DATE.exec(text);
  if (!m) throw new FilteringRulesError(`from_date "${text}" is not YYYY-MM-DD[THH[:MM[:SS[.ffffff]]]]`);
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((p) => (p === undefined ? 0 : Number(p)));
  const ms = Date.UTC(y, mo - 1, d, h, mi, s, Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000));
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw new FilteringRulesError(`from_date "${text}" is not a valid date`);
  }
  return ms;
}

export function buildKey(buildId: string): string {
  return `build:${buildId}`;
}

export function packagesKey(packages: readonly string[]): string {
  return `packages:${JSON.stringify([...packages].sort())}`;
}

/** Parses the JSON configuration text (empty/undefined → no rules). Throws FilteringRulesError with the reason. */
export function parseFilteringRules(text: string | undefined): FilteringRules {
  if (text === undefined || text.trim() === '') return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new FilteringRulesError(`not valid JSON: ${(err as Error).message}`);
  }
  if (raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new FilteringRulesError('must be a JSON object mapping release → rules');
  const out = new Map<string, ReleaseRules>();
  for (const [release, rules] of Object.entries(raw as Record<string, unknown>)) out.set(release, normaliseRelease(release, rules));
  return out.size === 0 ? null : out;
}

function normaliseRelease(release: string, rules: unknown): ReleaseRules {
  if (rules === null) return { kind: 'keep_all' };
  const builds = new Map<string, number | null>();
  const date = (v: unknown, where: string): number | null => {
    if (v === null || v === undefined) return null;
    if (typeof v !== 'string') throw new FilteringRulesError(`${where}: from_date must be a string or null`);
    return parseFromDate(v);
  };
  if (Array.isArray(rules)) {
    if (rules.length === 0) return { kind: 'filter_all' };
    rules.forEach((rule, i) => {
      const where = `release ${release} rule ${i}`;
      if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) throw new FilteringRulesError(`${where}: must be an object`);
      const r = rule as Record<string, unknown>;
      if (Array.isArray(r.packages_list) && r.packages_list.every((p) => typeof p === 'string')) {
        builds.set(packagesKey(r.packages_list as string[]), date(r.from_date, where));
      } else if (typeof r.build_id === 'string') {
        builds.set(buildKey(r.build_id), date(r.from_date, where));
      } else {
        throw new FilteringRulesError(`${where}: needs "packages_list" (string array) or "build_id" (string)`);
      }
    });
    return { kind: 'builds', builds };
  }
  if (typeof rules === 'object') {
    const entries = Object.entries(rules as Record<string, unknown>);
    if (entries.length === 0) return { kind: 'filter_all' };
    for (const [build, from] of entries) builds.set(buildKey(build), date(from, `release ${release} build ${build}`));
    return { kind: 'builds', builds };
  }
  throw new FilteringRulesError(`release ${release}: rules must be null, an object or a list`);
}

export type BuildInfo = Readonly<{ release?: unknown; buildId?: unknown; packages?: unknown }>;

/** fuelstats.md §3.7 decision. No rules configured → never filtered. */
export function isFiltered(rules: FilteringRules, info: BuildInfo, now: number): boolean {
  if (!rules) return false;
  const release = typeof info.release === 'string' ? info.release : undefined;
  const forRelease = release === undefined ? undefined : rules.get(release);
  if (!forRelease) return true;
  if (forRelease.kind === 'keep_all') return false;
  if (forRelease.kind === 'filter_all') return true;
  const verdict = (key: string | undefined): boolean => {
    if (key === undefined) return false;
    if (!forRelease.builds.has(key)) return true;
    const from = forRelease.builds.get(key);
    return from !== null && from !== undefined && from > now;
  };
  const build = typeof info.buildId === 'string' ? buildKey(info.buildId) : undefined;
  const packages = Array.isArray(info.packages) && info.packages.every((p) => typeof p === 'string') ? packagesKey(info.packages as string[]) : undefined;
  return verdict(build) || verdict(packages);
}
