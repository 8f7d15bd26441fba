import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'pg';
import { EmbeddedServer, startEmbeddedServer } from '../../../src/database/embedded-server';
import { SERVER_URL } from '../../support/database';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const heapAfterGc = (): number => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

/** The embedded server itself (only meaningful without DATABASE_URL). */
(SERVER_URL ? describe.skip : describe)('embedded database server', () => {
  let dir: string;
  let server: EmbeddedServer;
  let client: Client;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tp-embedded-'));
    server = await startEmbeddedServer(dir);
    client = new Client({ connectionString: server.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
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
