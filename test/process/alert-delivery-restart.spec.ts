import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RULE_ID } from '../../src/alerts/rules';
import { freshDatabase, SERVER_URL, TestDatabase } from '../support/database';
import { aFailureReport, CONTACT_MARKERS } from '../support/failure-reports';
import { WebhookReceiver } from '../support/receivers';

const TOKEN = 'process-test-admin-token-0123';

/**
 * A notification acknowledged (201) but not yet delivered survives kill -9: the first process queues it
 * with its delivery worker switched off and is killed; the restarted process delivers it exactly once.
 * Everything both processes print is captured and must not contain contact data.
 */
describe('kill -9 between acknowledgement and delivery', () => {
  const root = join(__dirname, '..', '..');
  let output = '';

  async function freePort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    return port;
  }

  async function startPlatform(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
    const port = await freePort();
    const child = spawn(process.execPath, ['-r', join(root, 'test/support/ts-register.js'), join(root, 'src/main.ts')], {
      cwd: root,
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'debug', KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`platform did not start: ${output.slice(-2000)}`)), 120_000);
      const check = () => {
        if (output.includes(`listening on http://127.0.0.1:${port}`)) {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          resolve();
        }
      };
      child.stdout!.on('data', check);
      child.on('exit', (code) => reject(new Error(`platform exited ${code}: ${output.slice(-2000)}`)));
    });
    return { child, base: `http://127.0.0.1:${port}` };
  }

  const call = async (base: string, method: string, path: string, body?: unknown, auth = true) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(auth ? { authorization: `Bearer ${TOKEN}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, unknown> };
  };

  async function kill9(child: ChildProcess): Promise<void> {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
  }

  it('delivers the queued notification exactly once after the restart', async () => {
    const receiver = await new WebhookReceiver().start();
    let database: TestDatabase | undefined;
    let dataDir: string | undefined;
    const env: Record<string, string> = { CONTACT_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), ALERT_POLL_MS: '100' };
    if (SERVER_URL) {
      database = await freshDatabase();
      env.DATABASE_URL = database.url!;
      env.KAFKA_TOPIC_PREFIX = `alert-kill-${Date.now()}.`;
      env.KAFKA_CLIENT_ID = `alert-kill-${Date.now()}`;
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'tp-alert-kill-'));
      env.DATA_DIR = dataDir;
    }
    try {
      const first = await startPlatform({ ...env, ALERT_WORKER_ENABLED: 'false' });
      const channel = await call(first.base, 'POST', '/api/alerts/channels', { name: 'hook', kind: 'webhook', target: receiver.url, secret: 'process-test-secret-123' });
      expect(channel.status).toBe(201);
      // The default rule is created in the background at start-up.
      for (let i = 0; i < 100 && !((await call(first.base, 'GET', '/api/alerts/rules')).json.rules as { id: string }[]).some((r) => r.id === DEFAULT_RULE_ID); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const rule = await call(first.base, 'PUT', `/api/alerts/rules/${DEFAULT_RULE_ID}`, { name: 'all', kind: 'failure_report', channel_ids: [channel.json.id] });
      expect(rule.status).toBe(200);
      const report = aFailureReport();
      const uuid = report.failure_report.report_uuid as string;
      const accepted = await call(first.base, 'POST', '/api/v1/failure_reports/', report, false);
      expect(accepted).toMatchObject({ status: 201, json: { notified: true } });
      await kill9(first.child);
      expect(receiver.received).toHaveLength(0);

      const second = await startPlatform(env);
      await receiver.waitFor(1, 60_000);
      // A later report's notification arrives after any duplicate of the first could have.
      const later = aFailureReport();
      expect((await call(second.base, 'POST', '/api/v1/failure_reports/', later, false)).status).toBe(201);
      await receiver.waitFor(2, 60_000);
      const uuids = receiver.received.map((r) => JSON.parse(r.body).report.report_uuid);
      expect(uuids.filter((u) => u === uuid)).toHaveLength(1);
      const detail = await call(second.base, 'GET', `/api/support/failure-reports/${uuid}`);
      expect((detail.json.deliveries as { state: string; attempts: number }[]).map((d) => [d.state, d.attempts])).toEqual([['sent', 1]]);
      await kill9(second.child);

      expect(output).toContain('listening on');
      for (const marker of CONTACT_MARKERS) expect(output).not.toContain(marker);
    } finally {
      await receiver.stop();
      if (database) await database.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
