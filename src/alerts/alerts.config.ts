import { ConfigError, Env, bool, int, list } from '../config/env-readers';
import type { BackoffPolicy } from './backoff';
import { parseWebhookAllowList, WebhookAllowList } from './webhook-target';

/**
 * Failure-alert settings, read once from the environment by AlertsModule (README "Immediate failure reports").
 */
export type AlertsConfig = Readonly<{
  workerEnabled: boolean;
  /**
   * Longest sleep of the delivery worker: it is woken in-process for new work and sleeps until the next
   * retry is due, so this only bounds how late it sees work another instance left (a crashed claimant's
   * lease, a trigger projected elsewhere).
   */
  pollMs: number;
  concurrency: number;
  backoff: BackoffPolicy;
  webhookTimeoutMs: number;
  /** Hosts and networks a webhook may reach over plain http or on internal addresses (webhook-target.ts). */
  webhookAllowList: WebhookAllowList;
  /** SMTP is slower to give up on: a timed-out send may still have been delivered (then it is sent twice). */
  emailTimeoutMs: number;
  /** smtp://user:pass@host:port (nodemailer URL); unset = e-mail channels fail permanently. */
  smtpUrl?: string;
  emailFrom: string;
  /** Base of links in notifications to the console page of a report. */
  consoleUrl: string;
}>;
export const ALERTS_CONFIG = Symbol('ALERTS_CONFIG');

export function loadAlertsConfig(env: Env): AlertsConfig {
  return {
    workerEnabled: bool(env, 'ALERT_WORKER_ENABLED', true),
    pollMs: int(env, 'ALERT_POLL_MS', 30_000, 10, 600_000),
    concurrency: int(env, 'ALERT_CONCURRENCY', 16, 1, 1000),
    backoff: {
      baseMs: int(env, 'ALERT_BACKOFF_BASE_MS', 1000, 1, 3_600_000),
      maxMs: int(env, 'ALERT_BACKOFF_MAX_MS', 3_600_000, 1, 86_400_000),
      maxAttempts: int(env, 'ALERT_MAX_ATTEMPTS', 10, 1, 1000),
      maxRetryAfterMs: int(env, 'ALERT_MAX_RETRY_AFTER_MS', 3_600_000, 0, 86_400_000),
    },
    webhookTimeoutMs: int(env, 'ALERT_WEBHOOK_TIMEOUT_MS', 5000, 10, 600_000),
    webhookAllowList: webhookAllowList(env),
    emailTimeoutMs: int(env, 'ALERT_EMAIL_TIMEOUT_MS', 30_000, 100, 600_000),
    smtpUrl: env.ALERT_SMTP_URL?.trim() || undefined,
    emailFrom: env.ALERT_EMAIL_FROM?.trim() || 'Telemetry alerts <alerts@localhost>',
    consoleUrl: (env.ALERT_CONSOLE_URL?.trim() || `http://localhost:${env.PORT?.trim() || '8080'}`).replace(/\/$/, ''),
  };
}


function webhookAllowList(env: Env): WebhookAllowList {
  try {
    return parseWebhookAllowList(list(env, 'ALERT_WEBHOOK_ALLOWED_HOSTS'));
  } catch (err) {
    throw new ConfigError(`ALERT_WEBHOOK_ALLOWED_HOSTS: ${(err as Error).message}`);
  }
}
