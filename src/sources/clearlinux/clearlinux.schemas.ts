import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiResponseSchemaHost } from '@nestjs/swagger';
import { SCHEMAS_DIR } from '../../common/paths';

type SchemaObject = ApiResponseSchemaHost['schema'];

/** The JSON Schemas in schemas/clearlinux/, as Swagger schema objects (JSON-Schema-only keys removed). */
function load(name: string): SchemaObject {
  const { $schema: _s, $id: _i, examples, ...schema } = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'clearlinux', name), 'utf8')) as Record<string, unknown>;
  return { ...schema, example: (examples as unknown[] | undefined)?.[0] } as SchemaObject;
}

export const recordSchema = load('record.v1.json');
export const recordsResponseSchema = {
  ...load('records-response.v1.json'),
  properties: { records: { type: 'array', items: recordSchema } },
} as SchemaObject;
export const neverGuiltyEditSchema = load('never-guilty-edit.v1.json');
export const topGuiltyResponseSchema = load('top-guilty-response.v1.json');
