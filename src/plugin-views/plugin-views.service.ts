import { bars, pie } from '../console/charts';
import type { PluginManifest } from './plugin-manifest';

export const PLUGINS = Symbol('PLUGINS');

/** Pure: a plugin's declared chart over its rows, as an ECharts option (axis titles: the column names). */
export function pluginChartOption(chart: NonNullable<PluginManifest['chart']>, rows: readonly Record<string, unknown>[]): Record<string, unknown> {
  const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));
  if (chart.type === 'pie') return pie(rows.map((r) => ({ name: String(r[chart.x]), value: num(r[chart.y[0]]) })), { name: chart.x, unit: chart.y[0] });
  return bars({
    type: chart.type,
    categories: rows.map((r) => String(r[chart.x])),
    series: chart.y.map((y) => ({ name: y, data: rows.map((r) => num(r[y])) })),
    x: { title: chart.x },
    y: { title: chart.y.join(', ') },
  });
}
