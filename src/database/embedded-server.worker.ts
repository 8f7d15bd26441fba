import { mkdirSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { timescaledb } from '@electric-sql/pglite/timescaledb';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { installPgliteFraming } from './pglite-framing';

export type EmbeddedWorkerData = Readonly<{ dataDir: string }>;
export type EmbeddedWorkerMessage =
  | Readonly<{ kind: 'listening'; address: string }>
  | Readonly<{ kind: 'failed'; message: string }>
  | Readonly<{ kind: 'stopped' }>;

/** Worker thread body: PGlite + TimescaleDB served on a loopback port until the parent says 'stop'. */
async function serve({ dataDir }: EmbeddedWorkerData): Promise<void> {
  installPgliteFraming();
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir, extensions: { timescaledb } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
  await server.start();
  parentPort!.on('message', (message: unknown) => {
    if (message !== 'stop') return;
    void server
      .stop()
      .then(() => db.close())
      .finally(() => parentPort!.postMessage({ kind: 'stopped' } satisfies EmbeddedWorkerMessage));
  });
  parentPort!.postMessage({ kind: 'listening', address: server.getServerConn() } satisfies EmbeddedWorkerMessage);
}

serve(workerData as EmbeddedWorkerData).catch((err: Error) => {
  parentPort!.postMessage({ kind: 'failed', message: err.message } satisfies EmbeddedWorkerMessage);
});
