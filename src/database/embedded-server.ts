import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { timescaledb } from '@electric-sql/pglite/timescaledb';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { installPgliteFraming } from './pglite-framing';
import { releasingResults } from './pglite-result-release';

export type EmbeddedServer = Readonly<{ url: string; dataDir: string; stop: () => Promise<void> }>;

/**
 * Runs PostgreSQL + TimescaleDB in-process (PGlite, WASM) and serves it on a free loopback port, so
 * MikroORM and `pg` connect to it exactly as to a real server. pglite-socket serves ONE client connection
 * at a time: the caller must use a pool of size 1 and never wait for a second checkout.
 */
export async function startEmbeddedServer(dataDirRoot: string): Promise<EmbeddedServer> {
  installPgliteFraming();
  const dataDir = resolve(dataDirRoot, 'pglite');
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir, extensions: { timescaledb } });
  const server = new PGLiteSocketServer({ db: releasingResults(db), host: '127.0.0.1', port: 0 });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres@${address}/postgres`,
    dataDir,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
