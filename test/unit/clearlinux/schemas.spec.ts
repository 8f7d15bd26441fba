import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { SCHEMAS_DIR } from '../../../src/common/paths';
import { normaliseHeaderEntries } from '../../../src/sources/clearlinux/record/header-names';
import { parseV2Record } from '../../../src/sources/clearlinux/ingest/record-parser';
import { recordAccepted } from '../../../src/sources/clearlinux/record/record.events';
import { viewFromEvent } from '../../../src/sources/clearlinux/record/record-view';
import { V4_HEADERS } from './helpers';

const load = (name: string) => JSON.parse(readFileSync(join(SCHEMAS_DIR, 'clearlinux', name), 'utf8')) as { $id: string; examples: unknown[] };

describe('schemas/clearlinux', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const record = load('record.v1.json');
  const response = load('records-response.v1.json');
  ajv.addSchema(record).addSchema(response);

  it('have $id = path minus .json and valid examples', () => {
    expect([record.$id, response.$id]).toEqual(['clearlinux/record.v1', 'clearlinux/records-response.v1']);
    for (const s of [record, response]) for (const example of s.examples) expect(ajv.validate(s.$id, example)).toBe(true);
  });

  it('accept what the collector answers and refuse a record without id', () => {
    const parsed = parseV2Record(normaliseHeaderEntries(Object.entries(V4_HEADERS)), 'x');
    const view = viewFromEvent(recordAccepted(parsed, 7, '2026-11-23T10:00:00Z', { protocol: 'v2', headers: {}, payload: 'x' }).data);
    expect(ajv.validate('clearlinux/records-response.v1', { records: [view] })).toBe(true);
    const { id: _id, ...withoutId } = view;
    expect(ajv.validate('clearlinux/record.v1', withoutId)).toBe(false);
  });
});
