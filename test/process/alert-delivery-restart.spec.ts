import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RULE_ID } from '../../src/alerts/rules';
import { freshDatabase, SERVER_URL, TestDatabase } from '../support/database';
import { aFailureReport, CONTACT_MARKERS } from '../support/failure-reports';
import { PlatformProcess, startPlatform } from '../support/platform-process';
import { LOCAL_RECEIVERS_ALLOWED, WebhookReceiver } from '../support/receivers';

const TOKEN = 'process-test-admin-token-0123';

/**
 * A notification acknowledged (201) but not yet delivered survives kill -9: the first process queues it
 * with its delivery worker switched off and is killed; the restarted process delivers it exactly once.
 * Everything both processes print is captured and must not contain contact data.
 */
describe('kill -9 between acknowledgement and delivery', () => {
  /** Every process started, killed in `finally` too: a failed expectation must not leave one running. */
  const started: PlatformProcess[] = [];
  /** Debug logging: everything either process prints is checked for contact data. */
  const start = async (env: Record<string, string>) => {
    const platform = await startPlatform({ ...env, LOG_LEVEL: 'debug', KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '' }, TOKEN);
    started.push(platform);
    return platform;
  };

  const call = async (base: string, method: string, path: string, body?: unknown, auth = true) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(auth ? { authorization: `Bearer ${TOKEN}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, unknown> };
  };

  it('delivers the queued notification exactly once after the restart', async () => {
    const receiver = await new WebhookReceiver().start();
    let database: TestDatabase | undefined;
    let dataDir: string | undefined;
    const env: Record<string, string> = { CONTACT_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), ALERT_POLL_MS: '100', ...LOCAL_RECEIVERS_ALLOWED };
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
      const first = await start({ ...env, ALERT_WORKER_ENABLED: 'false' });
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
      await first.kill9();
      expect(receiver.received).toHaveLength(0);

      const second = await start(env);
      await receiver.waitFor(1, 60_000);
      // A later report's notification arrives after any duplicate of the first could have.
      const later = aFailureReport();
      expect((await call(second.base, 'POST', '/api/v1/failure_reports/', later, false)).status).toBe(201);
      await receiver.waitFor(2, 60_000);
      const uuids = receiver.received.map((r) => JSON.parse(r.body).report.report_uuid);
      expect(uuids.filter((u) => u === uuid)).toHaveLength(1);
      const detail = await call(second.base, 'GET', `/api/support/failure-reports/${uuid}`);
      expect((detail.json.deliveries as { state: string; attempts: number }[]).map((d) => [d.state, d.attempts])).toEqual([['sent', 1]]);
      await second.kill9();

      const output = first.output() + second.output();
      expect(output).toContain('listening on');
      for (const marker of CONTACT_MARKERS) expect(output).not.toContain(marker);
    } finally {
      for (const platform of started) await platform.kill9();
      await receiver.stop();
      if (database) await database.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
