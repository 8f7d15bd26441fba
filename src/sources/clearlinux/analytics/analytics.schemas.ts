import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiResponseSchemaHost } from '@nestjs/swagger';
import { SCHEMAS_DIR } from '../../../common/paths';

type SchemaObject = ApiResponseSchemaHost['schema'];

/** schemas/clearlinux/analytics-<view>.v1.json as a Swagger schema ($defs inlined, JSON-Schema-only keys removed). */
export function analyticsSchema(view: 'builds' | 'stats' | 'mce' | 'thermal' | 'population'): SchemaObject {
  const raw = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'clearlinux', `analytics-${view}.v1.json`), 'utf8')) as Record<string, unknown>;
  const defs = (raw.definitions ?? {}) as Record<string, unknown>;
  const inline = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(inline);
    if (!node || typeof node !== 'object') return node;
    const o = node as Record<string, unknown>;
    if (typeof o.$ref === 'string') return inline(defs[o.$ref.replace('#/definitions/', '')]);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (k === '$schema' || k === '$id' || k === 'definitions' || k === 'examples') continue;
      // OpenAPI 3.0 has no type arrays: ["string","null"] → nullable string
      if (k === 'type' && Array.isArray(v)) {
        out.type = v.find((t) => t !== 'null');
        out.nullable = true;
        continue;
      }
      out[k] = k === 'const' ? v : inline(v);
    }
    return out;
  };
  return { ...(inline(raw) as object), example: (raw.examples as unknown[])[0] } as SchemaObject;
}
