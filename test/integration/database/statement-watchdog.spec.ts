import { DatabaseUnavailable } from '../../../src/common/errors';
import { Database } from '../../../src/database/database';
import { freshDatabase, SERVER_URL, TestDatabase } from '../../support/database';

/**
 * The statement watchdog on a real server, where a statement can really hang (pg_sleep is asynchronous
 * there; inside PGlite it would block the event loop, so embedded mode tests the lost-answer path instead,
 * in embedded-database.spec.ts).
 */
(SERVER_URL ? describe : describe.skip)('statement watchdog', () => {
  let t: TestDatabase;
  let guarded: Database;

  beforeAll(async () => {
    t = await freshDatabase();
    guarded = new Database(t.db.orm, { statementWatchdogMs: 300 });
  });
  afterAll(async () => t?.drop());

  it('fails a statement with no answer within the bound as DatabaseUnavailable, then serves on a fresh connection', async () => {
    const started = Date.now();
    await expect(guarded.query('SELECT pg_sleep(5)')).rejects.toBeInstanceOf(DatabaseUnavailable);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(await guarded.query<{ n: number }>('SELECT 1 AS n')).toEqual([{ n: 1 }]);
  });

  it('rolls back a transaction whose statement hung', async () => {
    await guarded.query('CREATE TABLE watched (v int)');
    await expect(
      guarded.transaction(async (tx) => {
        await tx.query('INSERT INTO watched VALUES (1)');
        await tx.query('SELECT pg_sleep(5)');
      }),
    ).rejects.toBeInstanceOf(DatabaseUnavailable);
    expect(await guarded.query('SELECT * FROM watched')).toEqual([]);
  });
});
