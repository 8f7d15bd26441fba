import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'pg';
import { serialize } from 'pg-protocol';
import { EmbeddedDatabase, startEmbeddedDatabase } from '../../../src/database/embedded-database';
import { PGlite } from '@electric-sql/pglite';
import { isConnectionFailure } from '../../../src/database/database';
import { messageTypes, PgliteConnection, PgliteSession } from '../../../src/database/pglite-connection';
import { SERVER_URL } from '../../support/database';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const heapAfterGc = (): number => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

/** The embedded database and its in-process connection (only meaningful without DATABASE_URL). */
(SERVER_URL ? describe.skip : describe)('embedded database', () => {
  let dir: string;
  let embedded: EmbeddedDatabase;
  let client: Client;
  const connectClient = async (): Promise<Client> => {
    const c = new Client({ connectionString: 'postgres://postgres@embedded/postgres', stream: embedded.connect });
    await c.connect();
    return c;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tp-embedded-'));
    embedded = await startEmbeddedDatabase(dir);
    client = await connectClient();
    await client.query('CREATE TABLE blobs (body text)');
  });

  afterAll(async () => {
    await client?.end();
    await embedded?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers statements whose messages end exactly on a 16 KiB boundary (they wedged the socket server)', async () => {
    // pg sends Parse, Bind, Describe, Execute, Sync in one write. Parse is 1 + 4 + 1 (unnamed) + text + 1 + 2
    // bytes; Bind adds 1 + 4 + 1 + 1 + 2 + 2 + 2 + 4 + value + 2. Values are chosen so that Parse+Bind end at
    // and around 16,384 and 32,768 bytes, where PGlite used to drop the Describe/Execute/Sync behind them.
    const text = 'INSERT INTO blobs (body) VALUES ($1)';
    const parseLength = 1 + 4 + 1 + Buffer.byteLength(text) + 1 + 2;
    const bindOverhead = 1 + 4 + 1 + 1 + 2 + 2 + 2 + 4 + 2;
    let inserted = 0;
    for (const boundary of [16_384, 32_768, 65_536]) {
      for (const delta of [-1, 0, 1]) {
        const value = 'x'.repeat(boundary + delta - parseLength - bindOverhead);
        const result = await client.query(text, [value]);
        expect(result.rowCount).toBe(1);
        inserted++;
      }
    }
    expect((await client.query<{ n: string }>('SELECT count(*) AS n FROM blobs')).rows[0].n).toBe(String(inserted));
  });

  it('answers every message of one packet even when the packet has a message boundary at 16 KiB', async () => {
    // what a TCP client does: the whole extended query in one write
    const connection = embedded.connect();
    let received = Buffer.alloc(0);
    connection.on('data', (b: Buffer) => (received = Buffer.concat([received, b])));
    /** Writes the packet and collects the answer up to ReadyForQuery (or whatever came within 2 s). */
    const roundTrip = async (packet: Buffer): Promise<string> => {
      received = Buffer.alloc(0);
      connection.write(packet);
      for (let waited = 0; waited < 2000 && !messageTypes(received).endsWith('Z'); waited += 10) await new Promise((r) => setTimeout(r, 10));
      return messageTypes(received);
    };
    expect(await roundTrip(serialize.startup({ user: 'postgres', database: 'postgres' }))).toMatch(/Z$/);
    const parse = serialize.parse({ text: 'INSERT INTO blobs (body) VALUES ($1)' });
    const bindOverhead = serialize.bind({ values: [''] }).length;
    const bind = serialize.bind({ values: ['z'.repeat(16_384 - parse.length - bindOverhead)] });
    expect(parse.length + bind.length).toBe(16_384);
    const packet = Buffer.concat([parse, bind, serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]);
    expect(await roundTrip(packet)).toMatch(/1.*2.*n.*C.*Z$/);
    connection.destroy();
  });

  it('fails a round whose answer went missing instead of leaving the client waiting, and keeps serving', async () => {
    // fault injection on the real backend: the answer to one Sync is dropped, as the old socket path did
    class LosingSession extends PgliteSession {
      lose = false;
      override async exchange(message: Uint8Array, endsRound: boolean): Promise<Uint8Array> {
        const answer = await super.exchange(message, endsRound);
        if (this.lose && endsRound) {
          this.lose = false;
          return new Uint8Array(0);
        }
        return answer;
      }
    }
    const pglite = await PGlite.create(); // its own in-memory backend: this test breaks connections on purpose
    const session = new LosingSession(pglite);
    const lossy = new Client({ connectionString: 'postgres://postgres@embedded/postgres', stream: () => new PgliteConnection(session) });
    lossy.on('error', () => undefined);
    await lossy.connect();
    session.lose = true;
    await expect(lossy.query('SELECT 1')).rejects.toThrow('embedded database lost an answer');
    expect(isConnectionFailure(await lossy.query('SELECT 1').catch((e: unknown) => e))).toBe(true);
    const fresh = new Client({ connectionString: 'postgres://postgres@embedded/postgres', stream: () => new PgliteConnection(session) });
    await fresh.connect();
    expect((await fresh.query<{ n: number }>('SELECT 2 AS n')).rows[0].n).toBe(2);
    await fresh.end();
    await session.close();
  });

  it('passes a multi-megabyte statement through whole', async () => {
    const value = 'y'.repeat(3_000_000);
    const { rows } = await client.query<{ n: number }>('SELECT length($1::text) AS n', [value]);
    expect(rows[0].n).toBe(3_000_000);
  });

  it('does not hand an abandoned transaction to the next connection', async () => {
    const first = await connectClient();
    await first.query('BEGIN');
    await first.query(`INSERT INTO blobs (body) VALUES ('abandoned')`);
    // the connection vanishes without COMMIT or ROLLBACK (a watchdog reset, a crashed caller)
    first.on('error', () => undefined); // "Connection terminated unexpectedly" is the expected outcome
    first.connection.stream.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const second = await connectClient();
    await second.query('BEGIN');
    await second.query('COMMIT');
    const { rows } = await second.query<{ n: string }>(`SELECT count(*) AS n FROM blobs WHERE body = 'abandoned'`);
    expect(rows[0].n).toBe('0');
    await second.end();
  });

  it('does not keep query results on the heap after answering them', async () => {
    await client.query(`SELECT repeat('x', 1000000)`); // warm-up: first-query allocations are not results
    const before = heapAfterGc();
    for (let i = 0; i < 150; i++) {
      const { rows } = await client.query<{ text: string }>(`SELECT repeat('x', 1000000) AS text`);
      expect(rows[0].text).toHaveLength(1_000_000);
    }
    // 150 MB of rows went through; before the fix every one of them stayed reachable
    expect((heapAfterGc() - before) / 1_048_576).toBeLessThan(20);
  });

  it('still answers a failing statement with the error and keeps serving', async () => {
    await expect(client.query('SELECT * FROM no_such_table')).rejects.toThrow('relation "no_such_table" does not exist');
    expect((await client.query<{ n: number }>('SELECT 1 AS n')).rows[0].n).toBe(1);
  });
});
