import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUERY_SNAPSHOTS, renderSnapshot } from '../support/query-snapshots';

/** `npm run sql:snapshots` rewrites the files after an intended change; otherwise they must match. */
const QUERIES_DIR = join(__dirname, '..', '..', 'src', 'queries');
const update = process.env.UPDATE_SQL_SNAPSHOTS === '1';

describe('SQL snapshots (src/queries)', () => {
  it.each(Object.entries(QUERY_SNAPSHOTS))('%s.sql is what the repository builds', (file, cases) => {
    const path = join(QUERIES_DIR, `${file}.sql`);
    const rendered = renderSnapshot(cases);
    if (update) writeFileSync(path, rendered);
    expect(existsSync(path) ? readFileSync(path, 'utf8') : `(missing ${path}: run npm run sql:snapshots)`).toBe(rendered);
  });
});
