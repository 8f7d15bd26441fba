import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiResponseSchemaHost } from '@nestjs/swagger';
import { SCHEMAS_DIR } from './paths';

export type SwaggerSchema = ApiResponseSchemaHost['schema'];
type Json = Record<string, unknown>;

const readSchema = (dir: string, file: string): Json => JSON.parse(readFileSync(join(SCHEMAS_DIR, dir, file), 'utf8')) as Json;

function pointer(doc: unknown, path: string): unknown {
  return path
    .split('/')
    .filter(Boolean)
    .reduce((node, step) => (node as Json)[decodeURIComponent(step).replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

/**
 * `schemas/<dir>/<file>` as a Swagger (OpenAPI 3.0) schema object: `$ref`s inlined (`#/definitions/…` of the
 * same file, or a sibling file by its relative id, e.g. `installation-info-response.v1`), type arrays such as
 * `["string","null"]` turned into `nullable`, JSON-Schema-only keys removed, the first example kept.
 */
export function swaggerSchema(dir: string, file: string): SwaggerSchema {
  const root = readSchema(dir, file);
  const inline = (node: unknown, doc: Json): unknown => {
    if (Array.isArray(node)) return node.map((n) => inline(n, doc));
    if (!node || typeof node !== 'object') return node;
    const o = node as Json;
    if (typeof o.$ref === 'string') {
      const [target, path = ''] = o.$ref.split('#');
      const refDoc = target === '' ? doc : readSchema(dir, `${target.split('/').pop()}.json`);
      return inline(pointer(refDoc, path), refDoc);
    }
    const out: Json = {};
    for (const [k, v] of Object.entries(o)) {
      if (k === '$schema' || k === '$id' || k === 'definitions' || k === 'examples') continue;
      if (k === 'type' && Array.isArray(v)) {
        out.type = v.find((t) => t !== 'null');
        out.nullable = true;
        continue;
      }
      out[k] = k === 'const' ? v : inline(v, doc);
    }
    return out;
  };
  return { ...(inline(root, root) as object), example: (root.examples as unknown[] | undefined)?.[0] } as SwaggerSchema;
}
