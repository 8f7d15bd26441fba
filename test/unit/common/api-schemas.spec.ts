import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { SCHEMAS_DIR } from '../../../src/common/paths';
import { API_SCHEMA_DIRS, componentSchemas } from '../../../src/common/swagger-schema';

type Schema = { $id: string; examples?: unknown[] };
const all: Array<{ dir: string; file: string; schema: Schema }> = API_SCHEMA_DIRS.flatMap((dir) =>
  readdirSync(join(SCHEMAS_DIR, dir))
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({ dir, file, schema: JSON.parse(readFileSync(join(SCHEMAS_DIR, dir, file), 'utf8')) as Schema })),
);

describe('the JSON Schemas the OpenAPI document publishes (schemas/{alerts,api,clearlinux,fuel,plugins})', () => {
  // One registry for all of them: answers refer to schemas of other folders (`../api/replay-progress.v1`).
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, formats: { date: /^\d{4}-\d{2}-\d{2}$/ } });
  for (const { schema } of all) ajv.addSchema(schema);

  it.each(all.map((s) => [`${s.dir}/${s.file}`, s] as const))('%s: $id is its path, it compiles strictly and its examples validate', (_name, { dir, file, schema }) => {
    expect(schema.$id).toBe(`${dir}/${file.replace(/\.json$/, '')}`);
    const validate = ajv.getSchema(schema.$id)!;
    expect(validate).toBeDefined();
    expect(schema.examples?.length).toBeGreaterThan(0);
    for (const example of schema.examples ?? []) expect([validate(example), validate.errors ?? null]).toEqual([true, null]);
  });

  it('become components whose references all point at components', () => {
    const components = componentSchemas();
    expect(Object.keys(components)).toHaveLength(all.length);
    const refs = [...JSON.stringify(components).matchAll(/"\$ref":"([^"]*)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) {
      const [, name, pointer] = /^#\/components\/schemas\/([^/]+)(.*)$/.exec(ref) ?? [];
      expect({ ref, known: name !== undefined && name in components }).toEqual({ ref, known: true });
      const target = (pointer ?? '').split('/').filter(Boolean).reduce<unknown>((node, step) => (node as Record<string, unknown> | undefined)?.[step], components[name!]);
      expect({ ref, resolves: target !== undefined }).toEqual({ ref, resolves: true });
    }
    expect(JSON.stringify(components)).not.toMatch(/"\$id"|"\$schema"|"definitions"/);
  });
});
