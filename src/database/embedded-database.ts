import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { timescaledb } from '@electric-sql/pglite/timescaledb';
import { lockDataDir } from './data-dir-lock';
import { PgliteConnection, PgliteSession } from './pglite-connection';

export type EmbeddedDatabase = Readonly<{
  dataDir: string;
  /** A new client-side connection to the one embedded backend (pg's `stream` option). */
  connect: () => PgliteConnection;
  stop: () => Promise<void>;
}>;

/**
 * PostgreSQL + TimescaleDB in-process (PGlite, WASM) under DATA_DIR/pglite. `pg` and MikroORM reach it
 * through an in-process stream, not a port. PGlite is a single session: the caller must use a pool of
 * size 1 and never wait for a second checkout.
 */
export async function startEmbeddedDatabase(dataDirRoot: string): Promise<EmbeddedDatabase> {
  const dataDir = resolve(dataDirRoot, 'pglite');
  mkdirSync(dataDir, { recursive: true });
  // Two processes on one PGlite directory would each write its files from their own memory: refuse the second.
  const lock = lockDataDir(resolve(dataDirRoot));
  let db: PGlite;
  try {
    db = await PGlite.create({ dataDir, extensions: { timescaledb } });
  } catch (err) {
    lock.release();
    throw err;
  }
  const session = new PgliteSession(db);
  return {
    dataDir,
    connect: () => new PgliteConnection(session),
    stop: async () => {
      try {
        await session.close();
      } finally {
        lock.release();
      }
    },
  };
}
