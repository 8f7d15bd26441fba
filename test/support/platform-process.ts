import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** A port that was free a moment ago on 127.0.0.1 (the platform binds it right after). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export type Exit = Readonly<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;

export type PlatformProcess = Readonly<{
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  base: string;
  port: number;
  /** Everything the process printed so far (stdout and stderr interleaved). */
  output: () => string;
  /** Resolves when the process has exited; `at` is performance.now() at that moment. */
  exited: Promise<Exit>;
  /** Resolves once the output contains `text`; rejects if the process exits first or after `timeoutMs`. */
  waitForOutput: (text: string, timeoutMs?: number) => Promise<void>;
  /** SIGKILL, resolved once the process is gone. */
  kill9: () => Promise<void>;
  /**
   * SIGTERM (graceful shutdown: the app drains and closes its database), SIGKILL if it has not exited
   * after `graceMs`. Resolves how it ended; a no-op once it has exited.
   */
  stop: (graceMs?: number) => Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }>;
}>;

/**
 * The platform as a real child process (`src/main.ts` through test/support/ts-register.js, so it runs the
 * current sources and needs no prior build), bound to 127.0.0.1 on a free port; resolves once it logs that
 * it listens. `env` is laid over this process's environment; an `undefined` value removes the variable.
 */
export async function startPlatform(env: Record<string, string | undefined>, adminToken: string, startTimeoutMs = 120_000): Promise<PlatformProcess> {
  const port = await freePort();
  const merged: Record<string, string | undefined> = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', ADMIN_TOKEN: adminToken };
  const child = spawn(process.execPath, ['-r', join(ROOT, 'test/support/ts-register.js'), join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined)),
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
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve((exit = { code, signal, at: performance.now() }))));
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
  try {
    await waitForOutput(`listening on http://127.0.0.1:${port}`, startTimeoutMs);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    port,
    output: () => output,
    exited,
    waitForOutput,
    kill9: async () => {
      if (!exit) child.kill('SIGKILL');
      await exited;
    },
    stop: async (graceMs = 30_000) => {
      if (exit) return { code: exit.code, signal: exit.signal, killed: false };
      child.kill('SIGTERM');
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, graceMs);
      const ended = await exited;
      clearTimeout(timer);
      return { code: ended.code, signal: ended.signal, killed };
    },
  };
}
