import type { PluginManifest } from './plugin-manifest';

export const PLUGINS = Symbol('PLUGINS');

/** Pure: a plugin's declared chart over its rows, as an ECharts option. */
export function pluginChartOption(chart: NonNullable<PluginManifest['chart']>, rows: readonly Record<string, unknown>[]): Record<string, unknown> {
  const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));
  if (chart.type === 'pie') {
    return { tooltip: { trigger: 'item' }, series: [{ type: 'pie', radius: ['30%', '65%'], data: rows.map((r) => ({ name: String(r[chart.x]), value: num(r[chart.y[0]]) })) }] };
  }
  return {
    tooltip: { trigger: 'axis' },
    legend: chart.y.length > 1 ? {} : undefined,
    grid: { left: 60, right: 20, bottom: 60, top: 30 },
    xAxis: { type: 'category', data: rows.map((r) => String(r[chart.x])) },
    yAxis: { type: 'value' },
    series: chart.y.map((y) => ({ type: chart.type, name: y, data: rows.map((r) => num(r[y])) })),
  };
}
