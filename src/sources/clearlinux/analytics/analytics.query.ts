import { Injectable } from '@nestjs/common';
import type { AnalyticsFilter } from './analytics.filter';
import { AnalyticsRepository, type BuildCount, type NamedCount, type Scope } from './analytics.repository';
import { byCountThenName, compareBuilds, isoDate, isoWeekLabel, isoWeekStart, lastIsoWeeks, splitBuilds, startOfYear, sundayWeekOfYear, windowStart } from './bucketing';
import { MCE_KINDS } from './mcelog';

/** The answers of /api/clearlinux/* (schemas/clearlinux/analytics-*.v1.json); the console renders the same objects. */
export type Window = Readonly<{ from: string | null; to: string | null; clock: 'reception' | 'capture' }>;

export type BuildsView = Readonly<{
  window: Window;
  build: string | null;
  total: number;
  /** Integer builds (`^[0-9]+$`), ascending by value (clearlinux.md §8.2). */
  builds: BuildCount[];
  /** Every other build, by text: listed, never dropped. */
  otherBuilds: BuildCount[];
  /** Records per reception day and build. */
  series: { day: string; build: string; records: number }[];
}>;

export type StatsView = Readonly<{ window: Window; build: string | null; total: number; classifications: NamedCount[]; platforms: NamedCount[] }>;

export type MceView = Readonly<{
  window: Window;
  build: string | null;
  total: number;
  classes: { class: string; records: number }[];
  /** Numeric builds numerically, then the others as strings (clearlinux.md §8.5). */
  builds: BuildCount[];
  /** Sunday-based week of year (`%U`) of capture time, per class. */
  weekly: { week: string; class: string; records: number }[];
  machines: { machine_id: string; total: number; builds: Record<string, number> }[];
  machineCount: number;
  page: number;
  pageSize: number;
}>;

export type ThermalView = Readonly<{ window: Window; build: string | null; total: number; weeks: { week: string; start: string; records: number }[] }>;

export type PopulationWindow = Readonly<{
  name: 'overall' | '14d' | '7d' | '3d' | '1d';
  label: string;
  /** Counted: captured after this (exclusive; null = all time). */
  from: string | null;
  builds: { build: string; internal: number; external: number }[];
  otherBuilds: { build: string; internal: number; external: number }[];
}>;
export type PopulationView = Readonly<{ window: Window; build: string | null; method: 'exact'; windows: PopulationWindow[] }>;

const MCE_CLASS = (kind: string) => `org.clearlinux/mce/${kind}`;
export const MCE_PAGE_SIZE = 50;
const POPULATION_WINDOWS = [
  { name: 'overall', label: 'Overall', days: null },
  { name: '14d', label: 'Past two weeks', days: 14 },
  { name: '7d', label: 'Past week', days: 7 },
  { name: '3d', label: 'Three days', days: 3 },
  { name: '1d', label: 'Past day', days: 1 },
] as const;

const midnight = (d: string | undefined): string | null => (d ? `${d}T00:00:00Z` : null);
const sum = (rows: readonly { records: number }[]) => rows.reduce((a, r) => a + r.records, 0);

@Injectable()
export class AnalyticsQuery {
  constructor(private readonly repo: AnalyticsRepository) {}

  /** clearlinux.md §8.2, all time by default; reception days. */
  async builds(f: AnalyticsFilter): Promise<BuildsView> {
    const scope = scopeOf(f, null);
    const totals = await this.repo.buildTotals(scope);
    const { integer, other } = splitBuilds(totals);
    return { window: windowOf(scope, 'reception'), build: scope.build, total: sum(totals), builds: integer, otherBuilds: other, series: await this.repo.buildSeries(scope) };
  }

  /** clearlinux.md §8.3, all time by default. */
  async stats(f: AnalyticsFilter): Promise<StatsView> {
    const scope = scopeOf(f, null);
    const classifications = byCountThenName(await this.repo.classifications(scope));
    const platforms = byCountThenName(await this.repo.platforms(scope));
    return { window: windowOf(scope, 'reception'), build: scope.build, total: sum(classifications), classifications, platforms };
  }

  /** clearlinux.md §8.5: captured since 1 January (UTC) by default. */
  async mce(f: AnalyticsFilter, now: Date, page = 1): Promise<MceView> {
    const yearStart = startOfYear(now);
    const scope = scopeOf(f, yearStart.toISOString());
    const daily = await this.repo.mceDaily(scope, false);
    const wholeYear = scope.from === yearStart.toISOString() && scope.to === null ? yearStart.getUTCFullYear() : null;
    const { rows, machines } = await this.repo.mceMachines(scope, wholeYear, MCE_PAGE_SIZE, (page - 1) * MCE_PAGE_SIZE);
    return { window: windowOf(scope, 'capture'), build: scope.build, page, pageSize: MCE_PAGE_SIZE, ...shapeMce(daily), machines: pivotMachines(rows), machineCount: machines };
  }

  /** clearlinux.md §8.6 (allowed simplification): the last five ISO weeks including the current one, oldest first. */
  async thermal(f: AnalyticsFilter, now: Date): Promise<ThermalView> {
    const weeks = lastIsoWeeks(now, 5);
    const scope = scopeOf(f, weeks[0].toISOString());
    const daily = await this.repo.mceDaily(scope, true);
    const shaped = shapeThermal(daily, f.from || f.to ? undefined : weeks);
    return { window: windowOf(scope, 'capture'), build: scope.build, total: sum(shaped), weeks: shaped };
  }

  /** clearlinux.md §8.8: distinct machine ids per build, internal and external, captured after now − N days. */
  async population(f: AnalyticsFilter, now: Date): Promise<PopulationView> {
    const scope = scopeOf(f, null);
    const bounded = POPULATION_WINDOWS.filter((w) => w.days !== null).map((w) => windowStart(now, w.days!).toISOString());
    const rows = await this.repo.population(scope, bounded);
    const windows = POPULATION_WINDOWS.map((w, i) => {
      const perBuild = new Map<string, { build: string; internal: number; external: number }>();
      for (const r of rows) {
        const entry = perBuild.get(r.build) ?? { build: r.build, internal: 0, external: 0 };
        entry[r.external ? 'external' : 'internal'] += r.machines[i];
        perBuild.set(r.build, entry);
      }
      const { integer, other } = splitBuilds([...perBuild.values()].filter((b) => b.internal + b.external > 0));
      return { name: w.name, label: w.label, from: i === 0 ? null : bounded[i - 1], builds: integer, otherBuilds: other };
    });
    return { window: windowOf(scope, 'capture'), build: scope.build, method: 'exact', windows };
  }
}

function scopeOf(f: AnalyticsFilter, defaultFrom: string | null): Scope {
  return { from: f.from || f.to ? midnight(f.from) : defaultFrom, to: midnight(f.to), build: f.build ?? null };
}

function windowOf(s: Scope, clock: Window['clock']): Window {
  return { from: s.from, to: s.to, clock };
}

/** Pure: daily MCE rows → per-class totals, per-build totals and `%U` weekly series. */
export function shapeMce(daily: readonly { day: string; kind: string; build: string; records: number }[]) {
  const classes = MCE_KINDS.map((k) => ({ class: MCE_CLASS(k), records: sum(daily.filter((r) => r.kind === k)) }));
  const perBuild = new Map<string, number>();
  const perWeek = new Map<string, { week: string; class: string; records: number }>();
  for (const r of daily) {
    perBuild.set(r.build, (perBuild.get(r.build) ?? 0) + r.records);
    const date = new Date(`${r.day}T00:00:00Z`);
    const week = `${date.getUTCFullYear()}-U${String(sundayWeekOfYear(date)).padStart(2, '0')}`;
    const key = `${week} ${r.kind}`;
    const entry = perWeek.get(key) ?? { week, class: MCE_CLASS(r.kind), records: 0 };
    entry.records += r.records;
    perWeek.set(key, entry);
  }
  const builds = [...perBuild].map(([build, records]) => ({ build, records })).sort((a, b) => compareBuilds(a.build, b.build));
  const weekly = [...perWeek.values()].sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : a.class < b.class ? -1 : 1));
  return { total: sum(daily), classes, builds, weekly };
}

/** Pure: daily thermal rows → ISO weeks; `weeks` (Mondays) fixes the buckets shown, zeros included. */
export function shapeThermal(daily: readonly { day: string; records: number }[], weeks?: readonly Date[]): { week: string; start: string; records: number }[] {
  const perWeek = new Map<string, { week: string; start: string; records: number }>();
  for (const w of weeks ?? []) perWeek.set(isoDate(w), { week: isoWeekLabel(w), start: isoDate(w), records: 0 });
  for (const r of daily) {
    const start = isoWeekStart(new Date(`${r.day}T00:00:00Z`));
    const key = isoDate(start);
    const entry = perWeek.get(key) ?? { week: isoWeekLabel(start), start: key, records: 0 };
    entry.records += r.records;
    perWeek.set(key, entry);
  }
  return [...perWeek.values()].sort((a, b) => (a.start < b.start ? -1 : 1));
}

/** Pure: (machine, build, count) rows, already in page order → one row per machine. */
export function pivotMachines(rows: readonly { machine_id: string; total: number; build: string; records: number }[]) {
  const out = new Map<string, { machine_id: string; total: number; builds: Record<string, number> }>();
  for (const r of rows) {
    const m = out.get(r.machine_id) ?? { machine_id: r.machine_id, total: r.total, builds: {} };
    m.builds[r.build] = r.records;
    out.set(r.machine_id, m);
  }
  return [...out.values()];
}
