import { extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EmbeddedWorkerData, EmbeddedWorkerMessage } from './embedded-server.worker';

export type EmbeddedServer = Readonly<{ url: string; dataDir: string; stop: () => Promise<void> }>;

/**
 * Runs PostgreSQL + TimescaleDB in-process (PGlite, WASM) and serves it on a free loopback port, so
 * MikroORM and `pg` connect to it exactly as to a real server. PGlite executes on the thread that owns
 * it, so it gets a worker thread of its own: queries then run on the second core instead of competing
 * with HTTP handling for the main event loop (measured: ingest throughput roughly doubles).
 * pglite-socket serves ONE client connection at a time: the caller must use a pool of size 1.
 */
export async function startEmbeddedServer(dataDirRoot: string): Promise<EmbeddedServer> {
  const dataDir = resolve(dataDirRoot, 'pglite');
  const worker = spawnWorker({ dataDir });
  const address = await new Promise<string>((resolvePromise, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`embedded database thread exited (${code}) before listening`)));
    worker.once('message', (message: EmbeddedWorkerMessage) => {
      if (message.kind === 'listening') resolvePromise(message.address);
      else reject(new Error(`embedded database failed to start: ${message.kind === 'failed' ? message.message : message.kind}`));
    });
  });
  worker.removeAllListeners('exit').removeAllListeners('error');
  return {
    url: `postgres://postgres@${address}/postgres`,
    dataDir,
    stop: async () => {
      const stopped = new Promise<void>((done) => {
        worker.once('exit', () => done());
        worker.on('message', (message: EmbeddedWorkerMessage) => message.kind === 'stopped' && done());
      });
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  };
}

/**
 * From the compiled build the worker is plain JS. From the TypeScript sources (jest, process tests) the
 * worker thread has no transpiler of its own, so it is given one: typescript (a dev dependency) strips
 * types on require, exactly what ts-jest does for the main thread.
 */
function spawnWorker(data: EmbeddedWorkerData): Worker {
  const entry = join(__dirname, `embedded-server.worker${extname(__filename)}`);
  if (!entry.endsWith('.ts')) return new Worker(entry, { workerData: data });
  const transpileOnRequire = `
    const ts = require('typescript'); const fs = require('node:fs');
    require.extensions['.ts'] = (m, file) => m._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      fileName: file, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText, file);
    require(${JSON.stringify(entry)});`;
  return new Worker(transpileOnRequire, { eval: true, workerData: data });
}
