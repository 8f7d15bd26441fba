import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DEFAULT_RULE_ID } from '../src/alerts/rules';
import { AdminToken } from '../src/auth/admin-token';
import { loadConfig } from '../src/config/app-config';
import { createApp } from '../src/create-app';
import { Database } from '../src/database/database';
import { deleteTopics } from '../src/event-log/kafka-event-log';
import { aFailureReport } from '../test/support/failure-reports';
import { WebhookReceiver } from '../test/support/receivers';
import { benchServerDatabase, percentile, report } from './support';

const TOKEN = 'bench-admin-token-0123456789';

/**
 * Report accepted → webhook received latency (spec target p99 < 1 s): BENCH_REPORTS (default 1000)
 * opted-in failure reports posted at BENCH_RATE per second (default 10; 0 = as fast as BENCH_CONCURRENCY
 * senders, default 8, can) to the real collector, one signed webhook per report to a receiver on 127.0.0.1. Prints ack and end-to-end percentiles. Mode from
 * DATABASE_URL (a throw-away database on that server) / KAFKA_BROKERS.
 */
export async function benchFailureAlerts(): Promise<void> {
  const n = Number(process.env.BENCH_REPORTS ?? 1000);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
  const run = randomUUID().slice(0, 8);
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-bench-alerts-'));
  const server = process.env.DATABASE_URL ? await benchServerDatabase(process.env.DATABASE_URL) : undefined;
  const topicPrefix = `bench-alerts-${run}.`;
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: server?.url ?? '',
    KAFKA_TOPIC_PREFIX: topicPrefix,
    KAFKA_CLIENT_ID: `bench-alerts-${run}`,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
  });
  const receiver = await new WebhookReceiver().start();
  const app = await createApp(config, AdminToken.of(TOKEN));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const call = (method: string, path: string, body: unknown, auth = true) =>
    fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${TOKEN}` } : {}) },
      body: JSON.stringify(body),
    });
  try {
    const channel = (await (await call('POST', '/api/alerts/channels', { name: 'bench', kind: 'webhook', target: receiver.url, secret: 'bench-signing-secret' })).json()) as { id: string };
    for (let i = 0; i < 200; i++) {
      const res = await call('PUT', `/api/alerts/rules/${DEFAULT_RULE_ID}`, { name: 'all', kind: 'failure_report', channel_ids: [channel.id] });
      if (res.ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const sentAt = new Map<string, number>();
    const ackMs: number[] = [];
    let next = 0;
    const started = Date.now();
    // BENCH_RATE > 0: open loop at that many reports/s (latency when not saturated); 0: closed loop.
    const rate = Number(process.env.BENCH_RATE ?? 10);
    const sender = async () => {
      while (next < n) {
        next += 1;
        if (rate > 0) {
          const due = started + ((next - 1) * 1000) / rate;
          if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        }
        const body = aFailureReport();
        const uuid = body.failure_report.report_uuid as string;
        const t0 = Date.now();
        sentAt.set(uuid, t0);
        const res = await call('POST', '/api/v1/failure_reports/', body, false);
        if (res.status !== 201) throw new Error(`report answered ${res.status}: ${await res.text()}`);
        ackMs.push(Date.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, sender));
    const sendSeconds = (Date.now() - started) / 1000;
    if (process.env.ALERT_WORKER_ENABLED === 'false') {
      report({ bench: 'failure-alerts-intake-only', reports: n, ackP50Ms: percentile(ackMs.sort((a, b) => a - b), 50), ackP99Ms: percentile(ackMs, 99), reportsPerSecond: Math.round(n / sendSeconds) });
      return;
    }
    await receiver.waitFor(n, 300_000);
    const endToEnd = receiver.received.map((r) => r.at - sentAt.get(JSON.parse(r.body).report.report_uuid as string)!).sort((a, b) => a - b);
    const uuids = new Set(receiver.received.map((r) => JSON.parse(r.body).report.report_uuid));
    ackMs.sort((a, b) => a - b);
    // Where the time goes: trigger written (projector) → delivery row (dispatch) → sent (worker).
    const stages = await app.get(Database).query<{ queued: number; sent: number }>(`
      SELECT extract(epoch FROM d.created_at - t.occurred_at) * 1000 AS queued, extract(epoch FROM d.sent_at - d.created_at) * 1000 AS sent
      FROM alert_deliveries d JOIN alert_triggers t ON t.event_id = d.trigger_event_id`);
    const queued = stages.map((r) => Number(r.queued)).sort((a, b) => a - b);
    const sending = stages.map((r) => Number(r.sent)).sort((a, b) => a - b);
    report({
      bench: 'failure-alerts',
      mode: config.databaseUrl ? (config.kafkaBrokers.length ? 'timescaledb+kafka' : 'external') : 'embedded',
      reports: n,
      concurrency,
      targetRate: rate || 'closed loop',
      reportsPerSecond: Math.round(n / sendSeconds),
      webhooksReceived: receiver.received.length,
      distinctReports: uuids.size,
      ackP50Ms: percentile(ackMs, 50),
      ackP99Ms: percentile(ackMs, 99),
      webhookP50Ms: percentile(endToEnd, 50),
      webhookP99Ms: percentile(endToEnd, 99),
      webhookMaxMs: endToEnd[endToEnd.length - 1],
      acceptedToQueuedP50Ms: Math.round(percentile(queued, 50)),
      acceptedToQueuedP99Ms: Math.round(percentile(queued, 99)),
      queuedToSentP50Ms: Math.round(percentile(sending, 50)),
      queuedToSentP99Ms: Math.round(percentile(sending, 99)),
    });
  } finally {
    await app.close();
    await receiver.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await server?.drop();
    if (config.kafkaBrokers.length > 0) await deleteTopics(config.kafkaBrokers, topicPrefix);
  }
}
