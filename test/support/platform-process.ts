import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export type Exit = Readonly<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;

/** `node src/main.ts` as a child process (transpiled on the fly, so no build is needed), on loopback. */
export type PlatformProcess = Readonly<{
  child: ChildProcess;
  base: string;
  /** Everything the process printed so far (stdout and stderr). */
  output: () => string;
  /** Resolves when the process has exited; `at` is performance.now() at that moment. */
  exited: Promise<Exit>;
  /** Resolves once the output contains `text`; rejects if the process exits first or after `timeoutMs`. */
  waitForOutput: (text: string, timeoutMs?: number) => Promise<void>;
}>;

export async function startPlatformProcess(env: Record<string, string>): Promise<PlatformProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', join(ROOT, 'test/support/ts-register.js'), join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    output += d;
    listeners.forEach((l) => l());
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })));
  const waitForOutput = (text: string, timeoutMs = 120_000) =>
    new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        listeners.delete(check);
        if (err) reject(err);
        else resolve();
      };
      const check = () => output.includes(text) && done();
      const timer = setTimeout(() => done(new Error(`no "${text}" within ${timeoutMs} ms: ${output.slice(-3000)}`)), timeoutMs);
      listeners.add(check);
      void exited.then((e) => done(new Error(`platform exited (${e.code ?? e.signal}) before printing "${text}": ${output.slice(-3000)}`)));
      check();
    });
  const platform = { child, base: `http://127.0.0.1:${port}`, output: () => output, exited, waitForOutput };
  try {
    await waitForOutput(`listening on http://127.0.0.1:${port}`);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return platform;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
