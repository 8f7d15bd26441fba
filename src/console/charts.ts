import { scriptJson } from './render';

/**
 * The console's one chart protocol: the server builds the whole ECharts option (pure functions beside each
 * page, from the builders below), `partials/_chart.hbs` puts it in a `<script type="application/json">`
 * next to a `[data-chart]` element, and /static/charts.js draws every such element on load and after each
 * htmx swap. No page has chart code of its own in the browser.
 *
 * Every builder takes axis titles (with units), keeps long labels readable (ellipsized to a width, the
 * full text in the tooltip) and leaves ECharts 6's outer bounds on, so labels and axis titles stay inside
 * the element. `chart()` marks an option without data, and the partial draws "No data in this window"
 * instead of an empty grid or disc.
 */
export type ChartOption = Readonly<Record<string, unknown>>;
export type Chart = Readonly<{ id: string; option: string; title?: string; class?: string; testid?: string; empty: boolean; emptyText: string }>;

/** An axis title; `unit` is shown in brackets (`Duration (s)`). */
export type AxisTitle = Readonly<{ title: string; unit?: string }>;

export const EMPTY_TEXT = 'No data in this window';

export function axisName(a: AxisTitle): string {
  return a.unit ? `${a.title} (${a.unit})` : a.title;
}

/** `<` is escaped in the option: labels are client text and the JSON sits inside a <script> element. */
export function chart(id: string, option: ChartOption, extras: Omit<Chart, 'id' | 'option' | 'empty' | 'emptyText'> & { emptyText?: string } = {}): Chart {
  return { ...extras, id, option: scriptJson(option), empty: isEmptyOption(option), emptyText: extras.emptyText ?? EMPTY_TEXT };
}

/** No series, or no series with a non-zero value: nothing worth a drawing. */
export function isEmptyOption(option: ChartOption): boolean {
  const series = option.series;
  if (!Array.isArray(series) || series.length === 0) return true;
  return !series.some((s: { data?: unknown[] }) => Array.isArray(s?.data) && s.data.some((d) => valueOf(d) !== 0));
}

function valueOf(d: unknown): number {
  if (typeof d === 'number') return Number.isFinite(d) ? d : 0;
  if (Array.isArray(d)) return valueOf(d[d.length - 1]);
  if (d && typeof d === 'object' && 'value' in d) return valueOf((d as { value: unknown }).value);
  return 0;
}

const LABEL_WIDTH = 96;
const RANKED_LABEL_WIDTH = 320;

function valueAxis(a: AxisTitle, position: 'left' | 'bottom'): Record<string, unknown> {
  return position === 'left'
    ? { type: 'value', minInterval: 1, name: axisName(a), nameLocation: 'end', nameGap: 12, nameTextStyle: { align: 'left', fontWeight: 'bold' } }
    : { type: 'value', minInterval: 1, name: axisName(a), nameLocation: 'middle', nameGap: 28, nameTextStyle: { fontWeight: 'bold' } };
}

function categoryAxis(a: AxisTitle, labels: readonly string[]): Record<string, unknown> {
  const rotate = labels.length > 12 || labels.some((l) => l.length > 14) ? 40 : 0;
  return {
    type: 'category',
    data: labels,
    name: axisName(a),
    nameLocation: 'middle',
    nameGap: rotate ? 72 : 30,
    nameTextStyle: { fontWeight: 'bold' },
    axisLabel: { rotate, width: LABEL_WIDTH, overflow: 'truncate', ellipsis: '…', hideOverlap: true },
  };
}

export type BarSeries = Readonly<{ name: string; data: readonly number[] }>;

/** Vertical bars (or lines) over categories; several series get a legend; `stack` stacks them. */
export function bars(o: Readonly<{ categories: readonly string[]; series: readonly BarSeries[]; x: AxisTitle; y: AxisTitle; stack?: boolean; type?: 'bar' | 'line' }>): ChartOption {
  const legend = o.series.length > 1;
  return {
    tooltip: { trigger: 'axis', confine: true },
    legend: legend ? { top: 0, type: 'scroll' } : undefined,
    grid: { left: 16, right: 24, top: legend ? 56 : 36, bottom: 12 },
    xAxis: categoryAxis(o.x, o.categories),
    yAxis: valueAxis(o.y, 'left'),
    series: o.series.map((s) => ({ type: o.type ?? 'bar', name: s.name, data: s.data, ...(o.stack ? { stack: 'total' } : {}) })),
  };
}

/** Horizontal bars, largest first (top-N lists with long labels: ellipsized, full text in the tooltip). */
export function rankedBars(labels: readonly string[], values: readonly number[], name: string, axes: Readonly<{ category: AxisTitle; value: AxisTitle }>): ChartOption {
  return {
    grid: { left: 16, right: 40, top: 28, bottom: 12 },
    tooltip: { trigger: 'axis', confine: true },
    xAxis: valueAxis(axes.value, 'bottom'),
    yAxis: {
      type: 'category',
      inverse: true,
      data: labels,
      name: axisName(axes.category),
      nameLocation: 'start',
      nameTextStyle: { align: 'left', fontWeight: 'bold' },
      axisLabel: { width: RANKED_LABEL_WIDTH, overflow: 'truncate', ellipsis: '…' },
    },
    series: [{ type: 'bar', name, data: values, label: { show: true, position: 'right' } }],
  };
}

/** Vertical columns, one per category. */
export function columns(labels: readonly string[], values: readonly number[], name: string, axes: Readonly<{ x: AxisTitle; y: AxisTitle }>): ChartOption {
  return bars({ categories: labels, series: [{ name, data: values }], x: axes.x, y: axes.y });
}

/**
 * A ring of slices; labels are ellipsized at a fixed width (never cut at the element's edge), small slices lose
 * their label rather than overlap, every slice's full name, value and share is in the tooltip and legend.
 */
export function pie(slices: readonly Readonly<{ name: string; value: number }>[], o: Readonly<{ name: string; unit: string }>): ChartOption {
  return {
    tooltip: { trigger: 'item', confine: true, formatter: `{b}<br>{c} ${o.unit} ({d}%)` },
    legend: { type: 'scroll', bottom: 0, formatter: undefined },
    series: [
      {
        type: 'pie',
        name: o.name,
        radius: ['28%', '52%'],
        center: ['50%', '45%'],
        data: slices,
        minShowLabelAngle: 6,
        avoidLabelOverlap: true,
        label: { formatter: '{b}: {c}', width: 140, overflow: 'truncate', ellipsis: '…' },
        labelLayout: { hideOverlap: true },
      },
    ],
  };
}

/** Lines over a time axis (one per series of [ISO time, value] points). */
export function timeLines(o: Readonly<{ series: readonly Readonly<{ name: string; points: readonly (readonly [string, number])[] }>[]; from?: string; to?: string; x: AxisTitle; y: AxisTitle }>): ChartOption {
  return {
    animation: false,
    tooltip: { trigger: 'axis', confine: true },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 16, right: 24, top: 56, bottom: 12 },
    xAxis: { type: 'time', min: o.from, max: o.to, name: axisName(o.x), nameLocation: 'middle', nameGap: 30, nameTextStyle: { fontWeight: 'bold' } },
    yAxis: valueAxis(o.y, 'left'),
    series: o.series.map((s) => ({ name: s.name, type: 'line', showSymbol: s.points.length < 50, sampling: 'lttb', data: s.points })),
  };
}
