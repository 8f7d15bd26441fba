/**
 * What the console shows of a fuelstats.md §6 report answer: headline numbers, one chart, tables. The chart is plain
 * data (labels + one series) rendered client-side by ECharts. Each report's `view` builds one from its
 * answer with the helpers below; missing parts of an answer render as empty.
 */
export type Cell = string | number | null;
export type ReportTable = Readonly<{ caption: string; columns: string[]; rows: Cell[][] }>;
export type ReportChart = { kind: 'bar' | 'pie'; title: string; labels: string[]; values: number[] };
export type ReportHeadline = { label: string; value: Cell; key: string };
export type ReportView = Readonly<{
  title: string;
  headline: ReportHeadline[];
  chart: ReportChart;
  tables: ReportTable[];
}>;

export type Counts = Readonly<Record<string, number>>;

const entries = (m: Counts | undefined) => Object.entries(m ?? {});

export const countsChart = (title: string, m: Counts | undefined, kind: 'bar' | 'pie' = 'bar'): ReportChart => ({
  kind, title, labels: entries(m).map(([k]) => k), values: entries(m).map(([, v]) => v),
});

export const countsTable = (caption: string, keyName: string, valueName: string, m: Counts | undefined): ReportTable => ({
  caption, columns: [keyName, valueName], rows: entries(m).map(([k, v]) => [k, v]),
});

/** The first headline of every report: the installations behind it. */
export const installationsHeadline = (r: { population?: { installations: number } }): ReportHeadline => ({
  label: 'Installations', value: r.population?.installations ?? 0, key: 'installations',
});
