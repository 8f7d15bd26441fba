import { applyWrites } from '../../../src/event-log/row-writer';
import { normaliseHeaderEntries } from '../../../src/sources/clearlinux/record/header-names';
import { recordAccepted } from '../../../src/sources/clearlinux/record/record.events';
import { parseV2Record } from '../../../src/sources/clearlinux/ingest/record-parser';
import { projectRecord } from '../../../src/sources/clearlinux/records/records.projection';
import { RecordsRepository } from '../../../src/sources/clearlinux/records/records.repository';
import { V4_HEADERS } from '../../support/clearlinux-headers';
import { freshDatabase, TestDatabase } from '../../support/database';

/** RecordsRepository on the real schema: rows written by the records projection, read through every filter. */
describe('RecordsRepository', () => {
  let database: TestDatabase;
  let repo: RecordsRepository;
  const now = Date.now();

  const store = async (id: number, overrides: Record<string, string>, payload: string, ageSeconds = 60) => {
    const headers = normaliseHeaderEntries(Object.entries({ ...V4_HEADERS, ...overrides }));
    const receivedAt = new Date(now - ageSeconds * 1000).toISOString();
    const event = recordAccepted(parseV2Record(headers, payload), id, receivedAt, { protocol: 'v2', headers: {}, payload });
    await applyWrites(database.db, projectRecord(event));
  };

  beforeAll(async () => {
    database = await freshDatabase();
    repo = new RecordsRepository(database.db);
    await store(1, { severity: '2', classification: 'org.clearlinux/crash/clr', machine_id: 'machine-a' }, 'first crash');
    await store(2, { severity: '3', classification: 'org.clearlinux/heartbeat/ping', machine_id: 'machine-a' }, 'beat');
    await store(3, { severity: '2', classification: 'org.clearlinux/crash/clr', machine_id: 'machine-b' }, '=formula-looking payload');
    await store(4, { severity: '2', classification: 'org.clearlinux/crash/clr', machine_id: 'machine-b' }, 'old', 40 * 86_400);
  });
  afterAll(async () => database?.drop());

  it('API reads: window, equality filters, from_id, newest first', async () => {
    const ids = async (f: Partial<Parameters<RecordsRepository['apiRecords']>[0]>) =>
      (await repo.apiRecords({ windowSeconds: 30 * 86_400, limit: 1000, ...f })).map((r) => r.id);
    expect(await ids({})).toEqual([3, 2, 1]);
    expect(await ids({ severity: 2 })).toEqual([3, 1]);
    expect(await ids({ machineId: 'machine-a', classification: 'org.clearlinux/crash/clr' })).toEqual([1]);
    expect(await ids({ fromId: '2' })).toEqual([3, 2]);
    expect(await ids({ fromId: '99999999999999999999' })).toEqual([]);
    expect(await ids({ limit: 1 })).toEqual([3]);
    expect(await ids({ windowSeconds: 41 * 86_400 })).toEqual([4, 3, 2, 1]);
  });

  it('console reads: LIKE on classification, regex on payload, paging and CSV continuation', async () => {
    const ids = async (f: Parameters<RecordsRepository['consoleRecords']>[0], limit = 10, offset = 0, beforeId?: number) =>
      (await repo.consoleRecords(f, limit, offset, beforeId)).map((r) => r.id);
    expect(await ids({})).toEqual([4, 3, 2, 1]);
    expect(await ids({ classificationLike: 'org.clearlinux/crash/%' })).toEqual([4, 3, 1]);
    expect(await ids({ payload: '^(first|old)' })).toEqual([4, 1]);
    expect(await ids({ notPayload: 'crash' })).toEqual([4, 3, 2]);
    expect(await ids({}, 2, 1)).toEqual([3, 2]);
    expect(await ids({}, 10, 0, 3)).toEqual([2, 1]);
  });

  it('refuses an invalid regular expression with a 400 naming the field', async () => {
    await expect(repo.consoleRecords({ notPayload: '(' }, 10, 0)).rejects.toMatchObject({ status: 400, message: expect.stringContaining('not_payload') });
  });

  it('keeps one row when the log delivers an event twice (Kafka, after a kill -9): the copy the client was answered by', async () => {
    const headers = normaliseHeaderEntries(Object.entries({ ...V4_HEADERS, machine_id: 'machine-twice' }));
    const parsed = parseV2Record(headers, 'twice');
    const first = recordAccepted(parsed, 90, new Date(now - 5_000).toISOString(), { protocol: 'v2', headers: {}, payload: 'twice' });
    const retry = recordAccepted(parsed, 91, new Date(now - 4_000).toISOString(), { protocol: 'v2', headers: {}, payload: 'twice' });
    expect(retry.id).toBe(first.id);
    await applyWrites(database.db, projectRecord(first));
    await applyWrites(database.db, projectRecord(retry));
    await applyWrites(database.db, projectRecord(retry)); // a redelivery changes nothing
    const rows = await database.db.query<{ id: string }>(`SELECT id::text AS id FROM records WHERE machine_id = 'machine-twice'`);
    expect(rows).toEqual([{ id: '91' }]);
  });

  it('finds one record by id and lists the filter choices', async () => {
    expect((await repo.byId('3'))?.payload).toBe('=formula-looking payload');
    expect(await repo.byId('77')).toBeUndefined();
    const choices = await repo.filterChoices();
    expect(choices.classifications).toEqual(['org.clearlinux/crash/clr', 'org.clearlinux/heartbeat/ping']);
  });
});
