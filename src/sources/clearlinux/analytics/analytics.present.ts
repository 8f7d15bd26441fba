import { type AxisTitle, bars, pie } from '../../../console/charts';
import { compareBuilds } from './bucketing';
import type { BuildsView, MceView, PopulationView, StatsView, ThermalView, Window } from './analytics.query';

/**
 * Pure: API answers → what the console draws. Each chart is an ECharts option (rendered by
 * /static/charts.js); each table shows the same numbers as text.
 */
export type Chart = Readonly<{ id: string; title: string; option: Readonly<Record<string, unknown>> }>;
export type Table = Readonly<{ id: string; title: string; columns: string[]; rows: (string | number)[][] }>;
export type ViewModel = Readonly<{ charts: Chart[]; tables: Table[]; notes: string[] }>;

const RECORDS: AxisTitle = { title: 'Records', unit: 'count' };
const BUILD: AxisTitle = { title: 'Build' };
const MACHINES: AxisTitle = { title: 'Machines', unit: 'distinct ids' };

export function windowText(w: Window): string {
  const clock = w.clock === 'capture' ? 'capture time (client clock)' : 'reception time (server clock)';
  if (!w.from && !w.to) return `All time, by ${clock}, UTC.`;
  return `From ${w.from ?? 'the beginning'} to ${w.to ?? 'now'} (exclusive), by ${clock}, UTC.`;
}

export function presentBuilds(v: BuildsView): ViewModel {
  const days = [...new Set(v.series.map((r) => r.day))];
  const seriesBuilds = [...new Set(v.series.map((r) => r.build))];
  const cell = new Map(v.series.map((r) => [`${r.day} ${r.build}`, r.records]));
  return {
    notes: ['Records per build. Only whole-number builds are on the chart axis; every other build is listed below it, not dropped.'],
    charts: [
      { id: 'builds', title: 'Records per build (integer builds)', option: bars({ categories: v.builds.map((b) => b.build), series: [{ name: 'records', data: v.builds.map((b) => b.records) }], x: BUILD, y: RECORDS }) },
      {
        id: 'builds-daily',
        title: 'Records per build per day',
        option: bars({ categories: days, series: seriesBuilds.map((b) => ({ name: b, data: days.map((d) => cell.get(`${d} ${b}`) ?? 0) })), stack: true, x: { title: 'Day', unit: 'UTC' }, y: RECORDS }),
      },
    ],
    tables: [
      { id: 'builds', title: 'Integer builds', columns: ['Build', 'Records'], rows: v.builds.map((b) => [b.build, b.records]) },
      { id: 'other-builds', title: 'Other builds (not whole numbers)', columns: ['Build', 'Records'], rows: v.otherBuilds.map((b) => [b.build, b.records]) },
    ],
  };
}

export function presentStats(v: StatsView): ViewModel {
  return {
    notes: ['Platform is the client\'s host_type string (sys_vendor|product_name|product_version), as received.'],
    charts: [
      { id: 'classifications', title: 'Records per classification', option: pie(v.classifications.map((c) => ({ name: c.name, value: c.records })), { name: 'classification', unit: 'records' }) },
      { id: 'platforms', title: 'Records per platform', option: pie(v.platforms.map((c) => ({ name: c.name, value: c.records })), { name: 'platform', unit: 'records' }) },
    ],
    tables: [
      { id: 'classifications', title: 'Classifications', columns: ['Classification', 'Records'], rows: v.classifications.map((c) => [c.name, c.records]) },
      { id: 'platforms', title: 'Platforms', columns: ['Platform', 'Records'], rows: v.platforms.map((c) => [c.name, c.records]) },
    ],
  };
}

export function presentMce(v: MceView): ViewModel {
  const weeks = [...new Set(v.weekly.map((w) => w.week))];
  const classes = v.classes.map((c) => c.class);
  const cell = new Map(v.weekly.map((w) => [`${w.week} ${w.class}`, w.records]));
  const builds = [...new Set(v.machines.flatMap((m) => Object.keys(m.builds)))].sort(compareBuilds);
  return {
    notes: ['Machine-check exceptions reported by mcelog (classes corrected, SRAO, SRAR, UCNA). Weeks are Sunday-based weeks of the year (%U) of the capture time.'],
    charts: [
      { id: 'mce-classes', title: 'Records per class', option: pie(v.classes.map((c) => ({ name: c.class, value: c.records })), { name: 'class', unit: 'records' }) },
      { id: 'mce-builds', title: 'Records per build', option: bars({ categories: v.builds.map((b) => b.build), series: [{ name: 'records', data: v.builds.map((b) => b.records) }], x: BUILD, y: RECORDS }) },
      {
        id: 'mce-weekly',
        title: 'Records per week and class',
        option: bars({ type: 'line', categories: weeks, series: classes.map((c) => ({ name: c, data: weeks.map((w) => cell.get(`${w} ${c}`) ?? 0) })), x: { title: 'Week', unit: '%U, capture time' }, y: RECORDS }),
      },
    ],
    tables: [
      { id: 'mce-classes', title: 'Classes', columns: ['Class', 'Records'], rows: v.classes.map((c) => [c.class, c.records]) },
      { id: 'mce-builds', title: 'Builds', columns: ['Build', 'Records'], rows: v.builds.map((b) => [b.build, b.records]) },
      {
        id: 'mce-machines',
        title: `Machines (${v.machineCount}, by total, page ${v.page})`,
        columns: ['Machine id', ...builds, 'Total'],
        rows: v.machines.map((m) => [m.machine_id, ...builds.map((b) => m.builds[b] ?? 0), m.total]),
      },
    ],
  };
}

export function presentThermal(v: ThermalView): ViewModel {
  return {
    notes: ['Thermal events (org.clearlinux/mce/thermal) per ISO-8601 week of capture time, labelled YYYY-Www (week starts Monday); by default the last five weeks including the current one, oldest first.'],
    charts: [{ id: 'thermal', title: 'Thermal events per week', option: bars({ categories: v.weeks.map((w) => w.week), series: [{ name: 'thermal events', data: v.weeks.map((w) => w.records) }], x: { title: 'ISO week', unit: 'capture time' }, y: { title: 'Thermal events', unit: 'count' } }) }],
    tables: [{ id: 'thermal', title: 'Weeks', columns: ['Week', 'Starts (Monday)', 'Records'], rows: v.weeks.map((w) => [w.week, w.start, w.records]) }],
  };
}

export function presentPopulation(v: PopulationView): ViewModel {
  return {
    notes: [
      'Distinct machine ids among clear-linux-os heartbeat records (org.clearlinux/heartbeat/ping), per build, internal and external, counted exactly.',
      'Machine ids rotate every 3 days on each client, so one machine can be counted up to ⌈window/3⌉+1 times in a window: the Three days and Past day charts are the most faithful.',
      'Windows end now and count records captured after now − N days (capture time, UTC); non-integer builds are listed below each chart.',
    ],
    charts: v.windows.map((w) => ({
      id: `population-${w.name}`,
      title: w.label,
      option: bars({
        categories: w.builds.map((b) => b.build),
        series: [
          { name: 'internal', data: w.builds.map((b) => b.internal) },
          { name: 'external', data: w.builds.map((b) => b.external) },
        ],
        x: BUILD,
        y: MACHINES,
      }),
    })),
    tables: v.windows.map((w) => ({
      id: `population-${w.name}`,
      title: `${w.label}${w.from ? ` (captured after ${w.from})` : ''}`,
      columns: ['Build', 'Internal machines', 'External machines'],
      rows: [...w.builds, ...w.otherBuilds].map((b) => [b.build, b.internal, b.external]),
    })),
  };
}
