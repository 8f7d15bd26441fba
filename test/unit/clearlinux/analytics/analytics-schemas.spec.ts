import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { SCHEMAS_DIR } from '../../../../src/common/paths';
import { componentSchemas } from '../../../../src/common/swagger-schema';
import { analyticsSchema } from '../../../../src/sources/clearlinux/analytics/analytics.schemas';

const VIEWS = ['builds', 'stats', 'mce', 'thermal', 'population'] as const;
const load = (path: string) => JSON.parse(readFileSync(join(SCHEMAS_DIR, path), 'utf8')) as { $id: string; examples: unknown[] };

describe('analytics and plugin schemas', () => {
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));

  it.each([...VIEWS.map((v) => `clearlinux/analytics-${v}.v1.json`), 'plugins/view-manifest.v1.json'])('%s: $id = path minus .json, examples valid', (path) => {
    const schema = load(path);
    expect(schema.$id).toBe(path.replace(/\.json$/, ''));
    const validate = ajv.compile(schema);
    for (const example of schema.examples) expect(validate(example)).toBe(true);
  });

  it('gives the OpenAPI document a reference to its component, the same shape with its references resolved', () => {
    const components = componentSchemas();
    for (const v of VIEWS) {
      expect(analyticsSchema(v)).toEqual({ $ref: `#/components/schemas/clearlinux.analytics-${v}.v1` });
      const text = JSON.stringify(components[`clearlinux.analytics-${v}.v1`]);
      expect(text).not.toMatch(/"\$ref"|"\$schema"|"\$id"|"definitions"/);
      expect(text).toContain('"examples"');
    }
  });
});
