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
 * of relative references), a reference to a whole file (`paging-params.v1`, `../plugins/view-manifest.v1`)
 * rewritten to its component, and a reference into a file (`#/definitions/x`,
 * `action-logs-request.v1#/properties/action_logs/items`) replaced by what it points at: client generators
 * (openapi-typescript 7) turn a pointer below a component into wrong property paths.
 */
export function componentSchemas(): Record<string, Json> {
  const components: Record<string, Json> = {};
  for (const dir of API_SCHEMA_DIRS) {
    for (const file of readdirSync(join(SCHEMAS_DIR, dir)).filter((f) => f.endsWith('.json')).sort()) {
      const root = readSchema(dir, file);
      const rewrite = (node: unknown, doc: SchemaFile): unknown => {
        if (Array.isArray(node)) return node.map((n) => rewrite(n, doc));
        if (!node || typeof node !== 'object') return node;
        const { $ref } = node as Json;
        if (typeof $ref === 'string') {
          const [target, pointer = ''] = $ref.split('#');
          const targetDoc = target === '' ? doc : fileOf(doc.dir, target!);
          if (pointer === '') return { $ref: `#/components/schemas/${componentName(targetDoc.dir, targetDoc.file)}` };
          return rewrite(resolvePointer(targetDoc.schema, pointer), targetDoc);
        }
        const out: Json = {};
        for (const [key, value] of Object.entries(node as Json)) {
          if (key === '$schema' || key === '$id' || key === 'definitions') continue;
          out[key] = key === 'const' || key === 'examples' || key === 'default' ? value : rewrite(value, doc);
        }
        return out;
      };
      components[componentName(dir, file)] = rewrite(root, { dir, file, schema: root }) as Json;
    }
  }
  return components;
}

type SchemaFile = Readonly<{ dir: string; file: string; schema: Json }>;

function readSchema(dir: string, file: string): Json {
  return JSON.parse(readFileSync(join(SCHEMAS_DIR, dir, file), 'utf8')) as Json;
}

/** A sibling is named by its id (`paging-params.v1`), a file of another folder by its path (`../plugins/view-manifest.v1`). */
function fileOf(fromDir: string, target: string): SchemaFile {
  const steps = target.split('/');
  const dir = steps.length > 1 ? steps[steps.length - 2]! : fromDir;
  const file = `${steps[steps.length - 1]}.json`;
  return { dir, file, schema: readSchema(dir, file) };
}

function resolvePointer(schema: Json, pointer: string): unknown {
  const target = pointer
    .split('/')
    .filter(Boolean)
    .reduce<unknown>((node, step) => (node as Json | undefined)?.[decodeURIComponent(step).replace(/~1/g, '/').replace(/~0/g, '~')], schema);
  if (target === undefined) throw new Error(`schemas/: $ref pointer ${pointer} resolves to nothing`);
  return target;
}
