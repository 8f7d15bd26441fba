import { Inject, Injectable } from '@nestjs/common';
import { ANALYTICS_MIN_MACHINES, floorGroups, otherGroupsLabel, smallGroups } from '../../../common/k-anonymity';
import type { AnalyticsFilter } from './analytics.filter';
import { AnalyticsRepository, type BuildCount, type MachineCounts, type NamedCount, type Scope } from './analytics.repository';
import { byCountThenName, compareBuilds, isoDate, isoWeekLabel, isoWeekStart, lastIsoWeeks, splitBuilds, startOfYear, sundayWeekOfYear, windowStart } from './bucketing';
import { MachineIds } from '../machine-ids/machine-ids';
import { MCE_KINDS } from './mcelog';

/**
 * The answers of /api/clearlinux/* (schemas/clearlinux/analytics-*.v1.json); the console renders the same objects.
 * Every grouped list is under the k-anonymity floor (ANALYTICS_MIN_MACHINES): groups backed by fewer distinct
 * machines are merged into one "other (n groups)" row at the end of their list; totals count everything.
 */
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
  constructor(
    private readonly repo: AnalyticsRepository,
    @Inject(ANALYTICS_MIN_MACHINES) private readonly minMachines: number,
    private readonly machineIds: MachineIds,
  ) {}

  /** clearlinux.md §8.2, all time by default; reception days. */
  async builds(f: AnalyticsFilter): Promise<BuildsView> {
    const scope = scopeOf(f, null);
    const [totals, series, machines] = await Promise.all([this.repo.buildTotals(scope), this.repo.buildSeries(scope), this.repo.buildMachines(scope)]);
    const small = smallGroups(totals.filter((t) => t.records > 0).map((t) => t.build), machines, this.minMachines);
    const { integer, other } = splitBuilds(totals.filter((t) => !small.has(t.build)));
    const merged = small.size === 0 ? [] : [{ build: otherGroupsLabel(small.size), records: sum(totals.filter((t) => small.has(t.build))) }];
    return {
      window: windowOf(scope, 'reception'),
      build: scope.build,
      total: sum(totals),
      builds: integer,
      otherBuilds: [...other, ...merged],
      series: mergeSeries(series, small, merged[0]?.build),
    };
  }

  /** clearlinux.md §8.3, all time by default. */
  async stats(f: AnalyticsFilter): Promise<StatsView> {
    const scope = scopeOf(f, null);
    const [classRows, classMachines, platformRows, platformMachines] = await Promise.all([
      this.repo.classifications(scope),
      this.repo.classificationMachines(scope),
      this.repo.platforms(scope),
      this.repo.platformMachines(scope),
    ]);
    const classifications = this.floorNamed(byCountThenName(classRows), classMachines);
    const platforms = this.floorNamed(byCountThenName(platformRows), platformMachines);
    return { window: windowOf(scope, 'reception'), build: scope.build, total: sum(classifications), classifications, platforms };
  }

  /**
   * clearlinux.md §8.5: captured since 1 January (UTC) by default. The machine table shows raw machine ids only
   * when `showRawMachineIds` (support and above), else their per-installation hashes.
   */
  async mce(f: AnalyticsFilter, now: Date, page: number, showRawMachineIds: boolean): Promise<MceView> {
    const yearStart = startOfYear(now);
    const scope = scopeOf(f, yearStart.toISOString());
    const wholeYear = scope.from === yearStart.toISOString() && scope.to === null ? yearStart.getUTCFullYear() : null;
    const [daily, groupMachines, { rows, machines }] = await Promise.all([
      this.repo.mceDaily(scope, false),
      this.repo.mceGroupMachines(scope),
      this.repo.mceMachines(scope, wholeYear, MCE_PAGE_SIZE, (page - 1) * MCE_PAGE_SIZE),
    ]);
    const shaped = shapeMce(daily);
    const shownId = this.machineIds.shownAs(showRawMachineIds);
    const k = this.minMachines;
    const byClass = new Map([...groupMachines.kinds].map(([kind, n]) => [MCE_CLASS(kind), n]));
    const byCell = new Map(
      [...groupMachines.weekly].map(([cell, n]) => {
        const [week, kind] = cell.split('|');
        return [`${week} ${MCE_CLASS(kind)}`, n];
      }),
    );
    return {
      window: windowOf(scope, 'capture'),
      build: scope.build,
      page,
      pageSize: MCE_PAGE_SIZE,
      total: shaped.total,
      classes: floorGroups(shaped.classes, { key: (c) => c.class, isEmpty: (c) => c.records === 0, machines: byClass, k, merge: (label, m) => ({ class: label, records: sum(m) }) }),
      builds: floorGroups(shaped.builds, { key: (b) => b.build, isEmpty: (b) => b.records === 0, machines: groupMachines.builds, k, merge: (label, m) => ({ build: label, records: sum(m) }) }),
      weekly: floorGroups(shaped.weekly, { key: (w) => `${w.week} ${w.class}`, isEmpty: (w) => w.records === 0, machines: byCell, k, merge: (label, m) => ({ week: label, class: label, records: sum(m) }) }),
      // One row per machine by design (hashed ids below support): not a group, so not under the floor.
      machines: pivotMachines(rows).map((m) => ({ ...m, machine_id: shownId(m.machine_id) })),
      machineCount: machines,
    };
  }

  /** clearlinux.md §8.6 (allowed simplification): the last five ISO weeks including the current one, oldest first. */
  async thermal(f: AnalyticsFilter, now: Date): Promise<ThermalView> {
    const weeks = lastIsoWeeks(now, 5);
    const scope = scopeOf(f, weeks[0].toISOString());
    const [daily, machines] = await Promise.all([this.repo.mceDaily(scope, true), this.repo.thermalWeekMachines(scope)]);
    const shaped = floorGroups(shapeThermal(daily, f.from || f.to ? undefined : weeks), {
      key: (w) => w.start,
      isEmpty: (w) => w.records === 0,
      machines,
      k: this.minMachines,
      merge: (label, m) => ({ week: label, start: m.map((w) => w.start).sort()[0], records: sum(m) }),
    });
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
      // Exact distinct machines per build and source, so a build's machines are internal + external.
      const counted = [...perBuild.values()].filter((b) => b.internal + b.external > 0);
      const small = smallGroups(counted.map((b) => b.build), new Map(counted.map((b) => [b.build, b.internal + b.external])), this.minMachines);
      const { integer, other } = splitBuilds(counted.filter((b) => !small.has(b.build)));
      const mergedRows = counted.filter((b) => small.has(b.build));
      const merged = small.size === 0 ? [] : [{ build: otherGroupsLabel(small.size), internal: sum2(mergedRows, 'internal'), external: sum2(mergedRows, 'external') }];
      return { name: w.name, label: w.label, from: i === 0 ? null : bounded[i - 1], builds: integer, otherBuilds: [...other, ...merged] };
    });
    return { window: windowOf(scope, 'capture'), build: scope.build, method: 'exact', windows };
  }

  private floorNamed(rows: NamedCount[], machines: MachineCounts): NamedCount[] {
    return floorGroups(rows, { key: (r) => r.name, isEmpty: (r) => r.records === 0, machines, k: this.minMachines, merge: (name, m) => ({ name, records: sum(m) }) });
  }
}

const sum2 = <K extends string>(rows: readonly Record<K, number>[], key: K) => rows.reduce((a, r) => a + r[key], 0);

/** Pure: the per-day series with the builds under the floor summed into `label`'s row per day. */
export function mergeSeries(series: readonly { day: string; build: string; records: number }[], small: ReadonlySet<string>, label: string | undefined) {
  if (small.size === 0 || label === undefined) return [...series];
  const out: { day: string; build: string; records: number }[] = [];
  const mergedPerDay = new Map<string, { day: string; build: string; records: number }>();
  for (const r of series) {
    if (!small.has(r.build)) {
      out.push(r);
      continue;
    }
    const entry = mergedPerDay.get(r.day) ?? { day: r.day, build: label, records: 0 };
    entry.records += r.records;
    mergedPerDay.set(r.day, entry);
  }
  return [...out, ...mergedPerDay.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.build < b.build ? -1 : a.build > b.build ? 1 : 0));
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
