import { join } from 'node:path';
import { Logger, Module } from '@nestjs/common';
import { analyticsFloorProvider } from '../common/k-anonymity';
import { PROJECT_ROOT } from '../common/paths';
import { discoverPlugins, loadPluginConfig, PLUGIN_CONFIG, type PluginConfig } from './plugin-registry';
import { PluginViewsController } from './plugin-views.controller';
import { PluginViewsRepository } from './plugin-views.repository';
import { PLUGINS } from './plugin-views.service';
import type { Env } from '../config/env-readers';
import { ENVIRONMENT } from '../config/tokens';

/** Plugin views discovered from PLUGINS_DIR at start-up (README "Plugin views"); no core code per plugin. */
@Module({
  controllers: [PluginViewsController],
  providers: [
    { provide: PLUGIN_CONFIG, inject: [ENVIRONMENT], useFactory: (env: Env) => loadPluginConfig(env, join(PROJECT_ROOT, 'plugins')) },
    {
      provide: PLUGINS,
      useFactory: (config: PluginConfig) => {
        const plugins = discoverPlugins(config);
        new Logger('plugins').log(`plugin views from ${config.dir}: ${plugins.map((p) => p.manifest.name).join(', ') || 'none'}`);
        return new Map(plugins.map((p) => [p.manifest.name, p]));
      },
      inject: [PLUGIN_CONFIG],
    },
    PluginViewsRepository,
    analyticsFloorProvider,
  ],
})
export class PluginViewsModule {}
