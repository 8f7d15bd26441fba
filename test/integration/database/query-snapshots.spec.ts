import { QUERY_SNAPSHOTS } from '../../support/query-snapshots';
import { freshDatabase, TestDatabase } from '../../support/database';

/** Every statement of src/queries/ runs on this stage's database (embedded, PostgreSQL 15, TimescaleDB). */
describe('SQL snapshots run on the real schema', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => database?.drop());

  const cases = Object.entries(QUERY_SNAPSHOTS).flatMap(([file, list]) => list.map((c) => [file, c.name, c.statement] as const));
  it.each(cases)('%s: %s', async (_file, _name, statement) => {
    await expect(database.db.query(statement.sql, [...statement.params])).resolves.toEqual(expect.any(Array));
  });
});
