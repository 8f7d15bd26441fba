import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { PluginError, type PluginManifest, validateManifest, validateQuery } from './plugin-manifest';

export type PluginView = Readonly<{
  manifest: PluginManifest;
  sql: string;
  render: (model: Record<string, unknown>) => string;
  dir: string;
}>;

export const PLUGIN_CONFIG = Symbol('PLUGIN_CONFIG');
/** PLUGINS_DIR: where plugin folders live; PLUGINS_ENABLED: `*` (all found, default), `none`, or a comma list. */
export type PluginConfig = Readonly<{ dir: string; enabled: '*' | readonly string[] }>;

export function loadPluginConfig(env: Readonly<Record<string, string | undefined>>, defaultDir: string): PluginConfig {
  const dir = (env.PLUGINS_DIR ?? '').trim() || defaultDir;
  const raw = (env.PLUGINS_ENABLED ?? '').trim();
  if (raw === '' || raw === '*') return { dir, enabled: '*' };
  if (raw === 'none') return { dir, enabled: [] };
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!/^[a-z][a-z0-9-]{0,39}$/.test(n)) throw new PluginError(`PLUGINS_ENABLED: "${n}" is not a plugin name`);
  return { dir, enabled: names };
}

/**
 * Discovers plugin folders once at start-up: each enabled `<dir>/<name>/` must hold a valid view.json,
 * query.sql and view.hbs, or start-up stops with a message naming the plugin and the problem.
 */
export function discoverPlugins(config: PluginConfig): PluginView[] {
  if (!existsSync(config.dir)) {
    if (config.enabled !== '*' && config.enabled.length > 0) throw new PluginError(`PLUGINS_DIR ${config.dir} does not exist`);
    return [];
  }
  const folders = readdirSync(config.dir).filter((f) => statSync(join(config.dir, f)).isDirectory()).sort();
  const wanted = config.enabled === '*' ? folders : config.enabled;
  for (const name of wanted) if (!folders.includes(name)) throw new PluginError(`plugin ${name} is enabled but ${join(config.dir, name)} does not exist`);
  return wanted.map((name) => loadPlugin(join(config.dir, name), name));
}

export function loadPlugin(dir: string, name: string): PluginView {
  const read = (file: string) => {
    const path = join(dir, file);
    if (!existsSync(path)) throw new PluginError(`plugin ${name}: ${file} is missing`);
    return readFileSync(path, 'utf8');
  };
  let json: unknown;
  try {
    json = JSON.parse(read('view.json'));
  } catch (err) {
    if (err instanceof PluginError) throw err;
    throw new PluginError(`plugin ${name}: view.json is not valid JSON (${(err as Error).message})`);
  }
  const manifest = validateManifest(name, json);
  const sql = validateQuery(name, read('query.sql'), manifest);
  const handlebars = Handlebars.create();
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  handlebars.registerHelper('json', (value: unknown) => JSON.stringify(value ?? null));
  let template: HandlebarsTemplateDelegate;
  try {
    template = handlebars.compile(read('view.hbs'), { strict: false });
    template({ rows: [], columns: [], params: {}, plugin: manifest }); // surfaces syntax errors now, not on first request
  } catch (err) {
    if (err instanceof PluginError) throw err;
    throw new PluginError(`plugin ${name}: view.hbs does not compile (${(err as Error).message})`);
  }
  return { manifest, sql, render: (model) => template(model), dir };
}
