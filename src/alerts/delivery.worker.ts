import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ContactCipher } from '../sources/fuel/failure-reports/contact-cipher';
import type { ReportDetailRow } from '../sources/fuel/failure-reports/failure-reports.repository';
import { Metrics } from '../metrics/metrics';
import { ALERTS_CONFIG, AlertsConfig } from './alerts.config';
import { nextStep, SendOutcome } from './backoff';
import { DeliveriesRepository, DeliveryRow, DeliveryState } from './deliveries.repository';
import { EmailSender } from './email.sender';
import { crashGroupNotification, failureReportNotification, Notification } from './notification';
import { AlertChannel, AlertTrigger, plannedDeliveries } from './rules';
import { sendWebhook } from './webhook.sender';

const TRIGGER_BATCH = 200;

/**
 * Turns triggers into deliveries (rules as they are now) and sends due deliveries. Woken at once when the
 * alerts projector commits, when a delivery finishes with a retry (or frees a slot while saturated) and by
 * a manual retry; otherwise it sleeps until the next delivery is due, or ALERT_POLL_MS (long: a safety net
 * for work other instances left) when none is waiting. State lives in the database only, so a restart
 * resumes where the last process stopped.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('alerts');
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private dirty = false;
  private saturated = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly email: EmailSender;
  private readonly m;

  constructor(
    @Inject(ALERTS_CONFIG) private readonly config: AlertsConfig,
    private readonly deliveries: DeliveriesRepository,
    private readonly cipher: ContactCipher,
    metrics: Metrics,
  ) {
    this.email = new EmailSender(config.smtpUrl, config.emailFrom);
    this.m = {
      attempts: metrics.counter('telemetry_alert_delivery_attempts_total', 'Notification delivery attempts by channel kind and outcome', ['channel', 'outcome']),
      created: metrics.counter('telemetry_alert_deliveries_created_total', 'Notifications queued (one per trigger, rule and channel)'),
      latency: metrics.histogram('telemetry_alert_delivery_duration_seconds', 'Trigger to successful delivery', ['channel'], [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 30, 300, 3600]),
    };
  }

  onApplicationBootstrap(): void {
    if (!this.config.workerEnabled) return;
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    this.email.close();
  }

  /** New triggers or due deliveries may exist: look now rather than at the next poll. */
  wake(): void {
    this.dirty = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        this.dirty = false;
        const created = await this.deliveries.dispatchTriggers(TRIGGER_BATCH, (t, rules, channels) =>
          plannedDeliveries(t, rules, new Set(channels.filter((c) => c.enabled).map((c) => c.id))),
        );
        if (created > 0) this.m.created.inc(created);
        const free = this.config.concurrency - this.inFlight.size;
        const claimed = free > 0 ? await this.deliveries.claimDue(free, Math.max(this.config.webhookTimeoutMs, this.config.emailTimeoutMs) + 30_000) : [];
        for (const d of claimed) this.track(this.deliver(d));
        // Only a full claim (or no free slot) can have left due work behind: then a finished delivery wakes us.
        this.saturated = claimed.length === free;
        failures = 0;
        if (claimed.length === free && free > 0) continue;
        const dueIn = await this.deliveries.nextDueInMs();
        await this.idle(dueIn === null ? this.config.pollMs : Math.min(this.config.pollMs, dueIn));
      } catch (err) {
        failures += 1;
        this.logger.warn(`delivery loop failed: ${(err as Error).message}`);
        await this.idle(Math.min(30_000, 100 * 2 ** Math.min(failures, 8)));
      }
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.dirty || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(1, ms));
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeUp = undefined;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private track(delivery: Promise<DeliveryState>): void {
    const work: Promise<void> = delivery.then((state) => {
      this.inFlight.delete(work);
      // While it was in flight the loop slept until its lease ends: a retry due sooner needs a new reckoning.
      if (this.saturated || state === 'retrying') this.wake();
    });
    this.inFlight.add(work);
  }

  /** Never rejects: every failure becomes the delivery's next state. */
  private async deliver(d: DeliveryRow): Promise<DeliveryState> {
    const startedAt = new Date();
    let outcome: SendOutcome;
    let channelKind = 'unknown';
    try {
      const { channel, trigger, report } = await this.deliveries.context(d);
      channelKind = channel?.kind ?? 'unknown';
      outcome = channel ? await this.send(d, channel, this.compose(d, trigger, report)) : { ok: false, retryable: false, error: 'channel was deleted' };
    } catch (err) {
      outcome = { ok: false, retryable: true, error: `could not prepare the notification: ${(err as Error).message}` };
    }
    const attempts = d.attempts + 1;
    const step = nextStep(attempts, outcome, this.config.backoff);
    this.m.attempts.inc({ channel: channelKind, outcome: outcome.ok ? 'sent' : step.state });
    if (outcome.ok) this.m.latency.observe({ channel: channelKind }, (Date.now() - Date.parse(d.created_at)) / 1000);
    try {
      await this.deliveries.finish(d, {
        state: step.state,
        error: outcome.ok ? null : step.state === 'dead' ? step.reason : outcome.error,
        status: outcome.status ?? null,
        delayMs: step.state === 'retrying' ? step.delayMs : 0,
        startedAt: startedAt.toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        outcome: outcome.ok ? 'sent' : outcome.error,
      });
    } catch (err) {
      // The lease runs out and the delivery is attempted again: at least once, never lost.
      this.logger.warn(`could not record delivery ${d.id}: ${(err as Error).message}`);
    }
    if (step.state === 'dead') this.logger.warn(`delivery ${d.id} dead-lettered: ${step.reason}`);
    return step.state;
  }

  private async send(d: DeliveryRow, channel: AlertChannel, notification: Notification | null): Promise<SendOutcome> {
    if (!channel.enabled) return { ok: false, retryable: false, error: 'channel is disabled' };
    if (!notification) return { ok: false, retryable: true, error: 'report not readable yet' };
    if (channel.kind === 'webhook') {
      const secret = channel.sealedSecret ? this.cipher.openSecret(channel.sealedSecret, channel.id) : null;
      return sendWebhook(channel.target, secret, notification, d.dedupe_key, channel.timeoutMs ?? this.config.webhookTimeoutMs, this.config.webhookAllowList);
    }
    return this.email.send(channel.target, notification, d.dedupe_key, channel.timeoutMs ?? this.config.emailTimeoutMs);
  }

  private compose(d: DeliveryRow, trigger: AlertTrigger | null, report: ReportDetailRow | null): Notification | null {
    if (!trigger) return null;
    const ctx = { deliveryId: d.dedupe_key, ruleId: d.rule_id, consoleUrl: this.config.consoleUrl };
    if (trigger.kind === 'crash_group') return crashGroupNotification(trigger, ctx);
    if (!report) return null;
    const contact = report.sealed_contact ? this.cipher.decrypt(report.sealed_contact, report.report_uuid) : null;
    return failureReportNotification(report, contact, trigger, ctx);
  }
}
