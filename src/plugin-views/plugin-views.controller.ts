import { chart as consoleChart } from '../console/charts';
import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFound } from '../common/errors';
import { renderPage } from '../console/render';
import { ANALYTICS_MIN_MACHINES } from '../common/k-anonymity';
import { floorPluginRows, parseParams } from './plugin-manifest';
import { PLUGINS, pluginChartOption } from './plugin-views.service';
import type { PluginView } from './plugin-registry';
import { PluginViewsRepository } from './plugin-views.repository';
import { queryOf } from '../common/http-input';
import { RequiresRole } from '../auth/roles';

/** Plugin views: `/console/plugins/<name>` (page) and `/api/plugins/<name>` (the same rows as JSON). */
@ApiTags('plugin views')
@ApiBearerAuth()
@RequiresRole('analyst')
@Controller()
export class PluginViewsController {
  constructor(
    @Inject(PLUGINS) private readonly plugins: ReadonlyMap<string, PluginView>,
    private readonly repo: PluginViewsRepository,
    @Inject(ANALYTICS_MIN_MACHINES) private readonly minMachines: number,
  ) {}

  @Get('api/plugins')
  @ApiOperation({ summary: 'Installed plugin views with their parameters' })
  list() {
    return { plugins: [...this.plugins.values()].map((p) => p.manifest) };
  }

  @Get('api/plugins/:name')
  @ApiOperation({ summary: "A plugin view's rows; parameters as declared in its view.json (see GET /api/plugins)" })
  @ApiOkResponse({ schema: { type: 'object', properties: { plugin: { type: 'string' }, params: { type: 'object' }, rows: { type: 'array', items: { type: 'object' } }, truncated: { type: 'boolean' } } } })
  async data(@Param('name') name: string, @Req() req: FastifyRequest) {
    const plugin = this.plugin(name);
    const params = parseParams(plugin.manifest, queryOf(req.url));
    const { rows, truncated } = await this.run(plugin, params);
    return { plugin: name, params, rows, truncated };
  }

  @ApiExcludeEndpoint()
  @Get('console/plugins')
  index(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return renderPage(req, reply, { page: 'pages/plugins/index.hbs', title: 'Plugin views' }, { nav: 'plugins', plugins: [...this.plugins.values()].map((p) => p.manifest) });
  }

  @ApiExcludeEndpoint()
  @Get('console/plugins/:name')
  async page(@Param('name') name: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const plugin = this.plugin(name);
    const params = parseParams(plugin.manifest, queryOf(req.url));
    const { rows, truncated } = await this.run(plugin, params);
    const columns = rows.length > 0 ? Object.keys(rows[0]) : [];
    const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const chart = plugin.manifest.chart ? consoleChart(`plugin-${name}`, pluginChartOption(plugin.manifest.chart, rows), { title: plugin.manifest.title }) : null;
    return renderPage(req, reply, { page: 'pages/plugins/view.hbs', partial: 'partials/_plugin_body.hbs', title: plugin.manifest.title }, {
      nav: 'plugins',
      plugin: plugin.manifest,
      path: `/console/plugins/${name}`,
      apiUrl: `/api/plugins/${name}?${query}`,
      fields: Object.entries(plugin.manifest.params).map(([key, spec]) => ({ key, spec, value: String(params[key]), isDate: spec.type === 'date', options: spec.enum?.map((o) => ({ value: o, selected: o === params[key] })) })),
      chart,
      truncated,
      content: plugin.render({ rows, columns, params, plugin: plugin.manifest, truncated }),
    });
  }

  /** Both routes show the same rows: the query's, under the k-anonymity floor. */
  private async run(plugin: PluginView, params: Record<string, number | string>) {
    const { rows, truncated } = await this.repo.run(plugin, params);
    return { rows: floorPluginRows(plugin.manifest, rows, this.minMachines), truncated };
  }

  private plugin(name: string): PluginView {
    const plugin = this.plugins.get(name);
    if (!plugin) throw new NotFound(`plugin view ${name} not found`, 'not_found');
    return plugin;
  }
}
