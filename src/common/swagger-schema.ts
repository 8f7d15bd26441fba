import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiResponseSchemaHost } from '@nestjs/swagger';
import { SCHEMAS_DIR } from './paths';

export type SwaggerSchema = ApiResponseSchemaHost['schema'];
type Json = Record<string, unknown>;

/**
 * The folders of schemas/ that describe the HTTP API (bodies and answers; schemas/plugins: the manifests
 * GET /api/plugins lists). schemas/submissions holds the documents integrators submit, checked by their own
 * registry: not a shape of this API, so not a component.
 */
export const API_SCHEMA_DIRS = ['alerts', 'api', 'clearlinux', 'fuel', 'plugins'] as const;
export type ApiSchemaDir = (typeof API_SCHEMA_DIRS)[number];

/** `schemas/clearlinux/record.v1.json` is the component `clearlinux.record.v1`. */
export const componentName = (dir: string, file: string): string => `${dir}.${file.replace(/\.json$/, '')}`;

/**
 * A reference to `schemas/<dir>/<file>` as a component of the OpenAPI document (`#/components/schemas/<dir>.<id>`);
 * every file of API_SCHEMA_DIRS is registered there by `componentSchemas`, so the document carries each schema once.
 */
export function swaggerSchema(dir: ApiSchemaDir, file: string): SwaggerSchema {
  return { $ref: `#/components/schemas/${componentName(dir, file)}` } as SwaggerSchema;
}

/**
 * Every JSON Schema of API_SCHEMA_DIRS as an OpenAPI 3.1 component (3.1 schemas are JSON Schema 2020-12, so a
 * draft-07 file needs no conversion beyond its references): `$schema`/`$id` dropped (an `$id` would move the base
 * of relative references), `definitions` renamed `$defs`, and every `$ref` rewritten to the component it names
 * (`#/definitions/x` of the same file, a sibling by its relative id such as `paging-params.v1`, or a pointer into one).
 */
export function componentSchemas(): Record<string, Json> {
  const components: Record<string, Json> = {};
  for (const dir of API_SCHEMA_DIRS) {
    for (const file of readdirSync(join(SCHEMAS_DIR, dir)).filter((f) => f.endsWith('.json')).sort()) {
      const own = componentName(dir, file);
      const rewrite = (node: unknown): unknown => {
        if (Array.isArray(node)) return node.map(rewrite);
        if (!node || typeof node !== 'object') return node;
        const out: Json = {};
        for (const [key, value] of Object.entries(node as Json)) {
          if (key === '$schema' || key === '$id') continue;
          if (key === '$ref' && typeof value === 'string') out.$ref = componentRef(dir, own, value);
          else if (key === 'definitions') out.$defs = rewrite(value);
          else out[key] = key === 'const' || key === 'examples' || key === 'default' ? value : rewrite(value);
        }
        return out;
      };
      components[own] = rewrite(JSON.parse(readFileSync(join(SCHEMAS_DIR, dir, file), 'utf8'))) as Json;
    }
  }
  return components;
}

function componentRef(dir: string, own: string, ref: string): string {
  const [target, pointer = ''] = ref.split('#');
  const path = pointer.replace(/^\/definitions\//, '/$defs/');
  // A sibling is named by its id (`paging-params.v1`), a file of another folder by its path (`../plugins/view-manifest.v1`).
  const steps = target.split('/');
  const name = target === '' ? own : componentName(steps.length > 1 ? steps[steps.length - 2]! : dir, `${steps[steps.length - 1]}.json`);
  return `#/components/schemas/${name}${path}`;
}
