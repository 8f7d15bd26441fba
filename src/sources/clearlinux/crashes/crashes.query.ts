import { InvalidInput } from '../../../common/errors';
import type { FramePair } from './backtrace';
import type { CrashListFilter, CrashWindow, TopGuiltyRow } from './crashes.repository';
import { guiltyId } from './guilty';

const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const DAY_MS = 86_400_000;
/** Spec clearlinux.md §8.4: "past 7 days". */
export const DEFAULT_WINDOW_DAYS = 7;
const MAX_WINDOW_DAYS = 3660;

/** The filters of the Crashes views, as they appear in the URL (`from`, `to` UTC dates; `build`). */
export type CrashFilterValues = Readonly<{ from: string; to: string; build: string }>;
export type CrashFilter = Readonly<{ values: CrashFilterValues; window: CrashWindow }>;

/**
 * Pure: query string → reception window in whole UTC days, `from` inclusive, `to` exclusive. The
 * default is the past week: the 7 days ending with today. Bad values → 400 naming the parameter.
 */
export function parseCrashFilter(query: URLSearchParams, now: Date): CrashFilter {
  const tomorrow = startOfUtcDay(now) + DAY_MS;
  const toMs = dateParam(query, 'to') ?? tomorrow;
  const fromMs = dateParam(query, 'from') ?? toMs - DEFAULT_WINDOW_DAYS * DAY_MS;
  if (fromMs >= toMs) throw new InvalidInput('from must be before to', 'query');
  if (toMs - fromMs > MAX_WINDOW_DAYS * DAY_MS) throw new InvalidInput(`from..to must span at most ${MAX_WINDOW_DAYS} days`, 'query');
  const build = textParam(query.get('build') ?? '', 'build');
  const from = isoDate(fromMs);
  const to = isoDate(toMs);
  return {
    values: { from, to, build },
    window: { from: `${from}T00:00:00Z`, to: `${to}T00:00:00Z`, build: build === '' ? null : build },
  };
}

/** A reception window without bounds (PostgreSQL's ±infinity timestamps). */
export const ALL_TIME = { from: '-infinity', to: 'infinity' } as const;

/** clearlinux.md §8.4 `/crashes/<build>`: one build, or null for `overall` (every build). */
export const OVERALL = 'overall';
export function parseBuildPath(value: string): string | null {
  const build = textParam(value, 'build');
  if (build === '') throw new InvalidInput('build is required (or overall)', 'query');
  return build === OVERALL ? null : build;
}

/** Pure: the guilty backtraces' optional filters (clearlinux.md §8.4: `build`, `machine_id`), all time. */
export function parseCrashListFilter(query: URLSearchParams): CrashListFilter & Readonly<{ values: Readonly<{ build: string; machine_id: string }> }> {
  const build = textParam(query.get('build') ?? '', 'build');
  const machineId = textParam(query.get('machine_id') ?? '', 'machine_id');
  return { ...ALL_TIME, build: build || null, machineId: machineId || null, values: { build, machine_id: machineId } };
}

/** Quotes removed as the collector stores builds (clearlinux.md §6.1); printable ASCII only, or a 400 naming the parameter. */
function textParam(raw: string, name: string): string {
  const value = raw.replace(/"/g, '');
  if (value.length >= 200 || !/^[\x20-\x7e]*$/.test(value)) throw new InvalidInput(`${name} value is invalid`, 'query');
  return value;
}

/** Pure: the guilty frame named by `function` and `module` (module may be empty: `(no symbols)`). */
export function parseGuiltyParam(query: URLSearchParams): FramePair {
  const fn = query.get('function');
  const module = query.get('module');
  if (!fn) throw new InvalidInput('function is required', 'query');
  if (module === null) throw new InvalidInput('module is required', 'query');
  return { function: fn, module };
}

export type TopGuiltyTable = Readonly<{
  /** Builds present among the top 10, highest first, with the largest single-guilty count (clearlinux.md §8.4 5.). */
  builds: { build: string; max: number }[];
  rows: {
    rank: number;
    /** The guilty's id (clearlinux.md §7.5), for its detail page. */
    id: string;
    function: string;
    module: string;
    label: string;
    total: number;
    counts: { build: string; crashes: number }[];
    comment: string | null;
  }[];
}>;

/** Pure: one row per (guilty, build) of the top 10 → the clearlinux.md §8.4 table (0 where a build has none). */
export function shapeTopGuilty(rows: readonly TopGuiltyRow[]): TopGuiltyTable {
  const builds = [...new Set(rows.map((r) => r.build))].sort(compareBuildsDesc);
  const byGuilty = new Map<string, { function: string; module: string; total: number; comment: string | null; counts: Map<string, number> }>();
  for (const r of rows) {
    const key = JSON.stringify([r.function, r.module]);
    const g = byGuilty.get(key) ?? { function: r.function, module: r.module, total: r.total, comment: r.comment, counts: new Map() };
    g.counts.set(r.build, r.crashes);
    byGuilty.set(key, g);
  }
  const guilties = [...byGuilty.values()].sort(
    (a, b) => b.total - a.total || a.function.localeCompare(b.function) || a.module.localeCompare(b.module),
  );
  return {
    builds: builds.map((build) => ({ build, max: Math.max(0, ...guilties.map((g) => g.counts.get(build) ?? 0)) })),
    rows: guilties.map((g, i) => ({
      rank: i + 1,
      id: guiltyId(g),
      function: g.function,
      module: g.module,
      label: guiltyLabel(g),
      total: g.total,
      counts: builds.map((build) => ({ build, crashes: g.counts.get(build) ?? 0 })),
      comment: g.comment,
    })),
  };
}

/** How a guilty is shown everywhere: `function - [module]`, as in the payload's frame lines. */
export function guiltyLabel(pair: FramePair): string {
  return `${pair.function} - [${pair.module}]`;
}

export function compareBuildsDesc(a: string, b: string): number {
  const na = /^[0-9]+$/.test(a);
  const nb = /^[0-9]+$/.test(b);
  if (na && nb) {
    const ba = BigInt(a);
    const bb = BigInt(b);
    return ba === bb ? 0 : ba > bb ? -1 : 1;
  }
  if (na !== nb) return na ? -1 : 1;
  return a < b ? 1 : a > b ? -1 : 0;
}

function dateParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  const m = DATE.exec(value);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || isoDate(ms) !== value) throw new InvalidInput(`${name} must be a date YYYY-MM-DD`, 'query');
  return ms;
}

function startOfUtcDay(d: Date): number {
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
