import { scriptJson } from './render';

/**
 * The console's one chart protocol: the server builds the whole ECharts option (pure functions beside each
 * page), `partials/_chart.hbs` puts it in a `<script type="application/json">` next to a `[data-chart]`
 * element, and /static/charts.js draws every such element on load and after each htmx swap. No page has
 * chart code of its own in the browser.
 */
export type ChartOption = Readonly<Record<string, unknown>>;
export type Chart = Readonly<{ id: string; option: string; title?: string; class?: string; testid?: string }>;

/** `<` is escaped in the option: labels are client text and the JSON sits inside a <script> element. */
export function chart(id: string, option: ChartOption, extras: Omit<Chart, 'id' | 'option'> = {}): Chart {
  return { id, option: scriptJson(option), ...extras };
}

/** Horizontal bars, largest first (top-N lists with long labels). */
export function rankedBars(labels: readonly string[], values: readonly number[], name: string): ChartOption {
  return {
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: labels, axisLabel: { width: 420, overflow: 'truncate' } },
    series: [{ type: 'bar', name, data: values, label: { show: true, position: 'right' } }],
  };
}

/** Vertical columns, one per category. */
export function columns(labels: readonly string[], values: readonly number[], name: string): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: labels },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', name, data: values }],
  };
}

export function pie(slices: readonly Readonly<{ name: string; value: number }>[]): ChartOption {
  return { tooltip: { trigger: 'item' }, series: [{ type: 'pie', radius: '65%', data: slices }] };
}
