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

export type PlatformProcess = Readonly<{
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  base: string;
  port: number;
  /** Everything the process printed so far (stdout and stderr interleaved). */
  output: () => string;
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
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve((exit = { code, signal }))),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`platform did not start within ${startTimeoutMs} ms: ${output.slice(-2000)}`));
    }, startTimeoutMs);
    const check = () => {
      if (output.includes(`listening on http://127.0.0.1:${port}`)) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`platform exited ${code}: ${output.slice(-2000)}`));
    });
  });
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    port,
    output: () => output,
    kill9: async () => {
      if (!exit) child.kill('SIGKILL');
      await exited;
    },
    stop: async (graceMs = 30_000) => {
      if (exit) return { ...exit, killed: false };
      child.kill('SIGTERM');
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, graceMs);
      const ended = await exited;
      clearTimeout(timer);
      return { ...ended, killed };
    },
  };
}
