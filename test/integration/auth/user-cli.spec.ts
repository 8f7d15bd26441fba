import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loginForm } from '../../support/accounts';
import { startTestApp, TestApp } from '../../support/app';
import { SERVER_URL } from '../../support/database';

const ROOT = join(__dirname, '../../..');

/** `npm run user -- add …` as the shell runs it (from the TypeScript sources), on a given database. */
function userCli(args: readonly string[], env: Record<string, string>, stdin?: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const cli = spawn(process.execPath, ['-r', join(ROOT, 'test/support/ts-register.js'), join(ROOT, 'src/cli/user.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'error', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    cli.stdout.on('data', (d: Buffer) => (out += d));
    cli.stderr.on('data', (d: Buffer) => (out += d));
    cli.on('error', reject);
    cli.on('close', (code) => resolve({ code, out }));
    cli.stdin.end(stdin ?? '');
  });
}

describe('npm run user -- add <name> --role <role>', () => {
  let t: TestApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-user-cli-'));
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates an account on the configured database that signs in on the console; refuses a short password and bad usage', async () => {
    // Embedded: the platform holds DATA_DIR exclusively, so the CLI runs before it starts; external: beside it.
    let target: Record<string, string>;
    if (SERVER_URL) {
      t = await startTestApp();
      target = { DATABASE_URL: t.config.databaseUrl! };
    } else {
      target = { DATA_DIR: dataDir };
    }
    const created = await userCli(['add', 'margaret', '--role', 'support'], target, 'apollo guidance computer\n');
    expect(created).toEqual({ code: 0, out: expect.stringMatching(/^created support margaret \([0-9a-f-]{36}\)\n$/) });
    const short = await userCli(['add', 'katherine', '--role', 'viewer'], target, 'short\n');
    expect(short.code).toBe(1);
    expect(short.out).toContain('/password: minLength');
    const usage = await userCli(['add', 'katherine', '--role', 'boss'], target);
    expect(usage.code).toBe(2);
    expect(usage.out).toContain('usage: npm run user -- add <name> --role <viewer|analyst|support|admin>');

    if (!SERVER_URL) t = await startTestApp({ DATA_DIR: dataDir });
    const login = await loginForm(t, { name: 'margaret', password: 'apollo guidance computer' });
    expect(login.status).toBe(303);
    expect((await t.app.inject({ method: 'GET', url: '/console/support/failure-reports', headers: { cookie: login.cookie! } })).statusCode).toBe(200);
    expect((await loginForm(t, { name: 'katherine', password: 'short' })).status).toBe(401);
  }, 180_000);
});
